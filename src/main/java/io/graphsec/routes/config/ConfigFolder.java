package io.graphsec.routes.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.StringJoiner;
import java.util.stream.Stream;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainHelper;

/**
 * The configuration folder of the standalone app: {@code graph.config-dir} (-D or GRAPH_CONFIG_DIR),
 * else the working directory. What it holds overrides what the jar carries, file by file: its
 * routes/*.camel.yaml replace the packaged routes of the same name and add the others, its
 * application.properties (and application-&lt;profile&gt;.properties) win over the packaged ones, and a
 * relative path a key names (mapping files, hunts) is looked up in it first ({@link ConfigFiles}).
 * Run from the checkout, the checkout is that folder, so its routes/ and application.properties apply.
 */
public final class ConfigFolder {

    public static final String KEY = "graph.config-dir";
    /** Where the jar carries its copies of routes/, hunts/ and application.properties. */
    public static final String PACKAGED = "graph-security/";
    static final String ROUTES = "routes";
    static final String ROUTE_SUFFIX = ".camel.yaml";

    private final Path dir;

    ConfigFolder(Path dir) {
        this.dir = dir.toAbsolutePath().normalize();
    }

    /**
     * Read from -D or the environment only: application.properties cannot name the folder it is read from.
     * The fallback, the working directory, is therefore here and not in application.properties.
     */
    public static ConfigFolder locate() {
        return new ConfigFolder(Path.of(MainHelper.lookupPropertyFromSysOrEnv(KEY).orElse("")));
    }

    public Path dir() {
        return dir;
    }

    /** Points Camel Main at this folder: property files, routes, and the key the route reload reads. */
    public void applyTo(Main main) {
        Optional<String> profile = profile();
        profile.ifPresent(main.configure()::setProfile);
        if (MainHelper.lookupPropertyFromSysOrEnv("camel.main.property-placeholder-location").isEmpty()) {
            main.setPropertyPlaceholderLocations(propertyLocations(profile.orElse(null)));
        }
        main.addInitialProperty(KEY, dir.toString());
        main.addInitialProperty("camel.main.routes-include-pattern", routesIncludePattern());
    }

    /**
     * The order Spring Boot users know, first wins: the folder's profile file, the packaged one, the
     * folder's application.properties, the packaged one.
     */
    String propertyLocations(String profile) {
        StringJoiner locations = new StringJoiner(",");
        if (profile != null) {
            locations.add("file:" + dir.resolve("application-" + profile + ".properties") + ";optional=true");
            locations.add("classpath:application-" + profile + ".properties;optional=true");
        }
        locations.add("file:" + dir.resolve("application.properties") + ";optional=true");
        locations.add("classpath:application.properties;optional=true");
        return locations.toString();
    }

    /** -D or the environment, else the folder's application.properties, else the packaged one (as Camel does). */
    Optional<String> profile() {
        return MainHelper.lookupPropertyFromSysOrEnv("camel.main.profile")
                .or(() -> Optional.ofNullable(fileProperties().getProperty("camel.main.profile")))
                .or(() -> Optional.ofNullable(packagedProperties().getProperty("camel.main.profile")))
                .map(String::trim).filter(p -> !p.isEmpty());
    }

    /**
     * Each packaged route the folder has no file of the same name for, by name (Camel's exclude pattern
     * is matched against a location that differs between the jar and target/classes), and the folder's
     * routes/*.camel.yaml if it has that folder.
     */
    String routesIncludePattern() {
        StringJoiner include = new StringJoiner(",");
        List<String> overriding = overridingRoutes();
        PackagedFiles.names(ConfigFolder.class.getClassLoader(), PACKAGED + ROUTES, ROUTE_SUFFIX).stream()
                .filter(name -> !overriding.contains(name))
                .forEach(name -> include.add("classpath:" + PACKAGED + ROUTES + "/" + name));
        if (Files.isDirectory(dir.resolve(ROUTES))) {
            include.add("file:" + dir.resolve(ROUTES) + "/*" + ROUTE_SUFFIX);
        }
        return include.toString();
    }

    /** The file names of the folder's routes/*.camel.yaml, sorted. */
    public List<String> overridingRoutes() {
        Path routes = dir.resolve(ROUTES);
        if (!Files.isDirectory(routes)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(routes)) {
            return files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(ROUTE_SUFFIX)).sorted().toList();
        } catch (IOException e) {
            throw new ConfigurationException("the routes folder " + routes + " (" + KEY + ") cannot be listed: "
                    + e.getMessage() + "; make it readable or point " + KEY + " at another folder", e);
        }
    }

    /** For the start-up log: what of this folder is in use. */
    public String describe() {
        List<String> used = new ArrayList<>();
        if (Files.isRegularFile(dir.resolve("application.properties"))) {
            used.add("application.properties");
        }
        List<String> routes = overridingRoutes();
        if (!routes.isEmpty()) {
            used.add(routes.size() + " route file(s) in routes/");
        }
        return "Configuration folder " + dir + " (" + KEY + " or GRAPH_CONFIG_DIR; else the working directory): "
                + (used.isEmpty() ? "nothing in it overrides" : String.join(" and ", used) + " over")
                + " what the jar carries; mapping files and hunts are read from it when there";
    }

    private Properties fileProperties() {
        Path file = dir.resolve("application.properties");
        Properties p = new Properties();
        if (Files.isRegularFile(file)) {
            try (Reader r = Files.newBufferedReader(file)) {
                p.load(r);
            } catch (IOException e) {
                throw new ConfigurationException(file + " cannot be read: " + e.getMessage()
                        + "; make it readable or point " + KEY + " at another folder", e);
            }
        }
        return p;
    }

    private static Properties packagedProperties() {
        Properties p = new Properties();
        try (InputStream in = ConfigFolder.class.getClassLoader().getResourceAsStream("application.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            throw new IllegalStateException("the packaged application.properties cannot be read", e);
        }
        return p;
    }
}
