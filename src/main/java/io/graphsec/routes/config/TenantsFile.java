package io.graphsec.routes.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The tenants file ({@code graph.tenants.file}): {@code graph.tenants} and the {@code graph.tenant.<name>.*}
 * keys, apart from application.properties so that the running application can pick up a tenant added
 * or removed. With it, {@code graph.tenants} is the file's alone; a tenant's key the file does not set
 * is read where it would be without the file (application.properties, -D, the environment), so a
 * secret may stay in the environment. Any other key in it is ignored ({@link #ignored}).
 */
public final class TenantsFile {

    public static final String KEY = "graph.tenants.file";
    public static final String LIST = "graph.tenants";
    private static final String TENANT = "graph.tenant.";

    private final Path path;
    private final Map<String, String> keys;
    private final List<String> ignored;

    private TenantsFile(Path path, Map<String, String> keys, List<String> ignored) {
        this.path = path;
        this.keys = keys;
        this.ignored = ignored;
    }

    /** Where the tenants file is, when {@code graph.tenants.file} names one. */
    public static Optional<Path> configured(ConfigFiles files, Props props) {
        return props.apply(KEY).map(value -> files.inFolder(KEY));
    }

    /** The file's tenant keys; one it cannot read is a {@link ConfigurationException} naming it and why. */
    public static TenantsFile read(Path path) {
        Properties read = new Properties();
        try (Reader in = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
            read.load(in);
        } catch (IOException | IllegalArgumentException e) {
            throw new ConfigurationException(KEY + "=" + path + " cannot be read (" + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()) + "); the tenants stay as they are", e);
        }
        Map<String, String> keys = new TreeMap<>();
        List<String> ignored = new ArrayList<>();
        for (String key : read.stringPropertyNames()) {
            if (key.equals(LIST) || key.startsWith(TENANT)) {
                keys.put(key, read.getProperty(key).trim());
            } else {
                ignored.add(key);
            }
        }
        return new TenantsFile(path, Map.copyOf(keys), List.copyOf(ignored));
    }

    /** The keys of the file other than {@code graph.tenants} and {@code graph.tenant.<name>.*}: not read. */
    public List<String> ignored() {
        return ignored;
    }

    public Path path() {
        return path;
    }

    /** The entries of the file's {@code graph.tenants}, trimmed, in order (not yet checked as names). */
    public List<String> names() {
        return listed(over(new Props(key -> Optional.empty())));
    }

    /** The entries of {@code graph.tenants}, trimmed, in order (not yet checked as names). */
    public static List<String> listed(Props props) {
        return Arrays.stream(props.apply(LIST).orElse("").split(",")).map(String::trim).filter(n -> !n.isEmpty())
                .distinct().toList();
    }

    /** The keys the file sets for tenant {@code name}: a change of them makes the tenant start again. */
    public Map<String, String> keysOf(String name) {
        Map<String, String> own = new TreeMap<>();
        keys.forEach((key, value) -> {
            if (key.startsWith(TENANT + name + ".")) {
                own.put(key, value);
            }
        });
        return own;
    }

    /** {@code props} with this file's tenant keys over them ({@code graph.tenants} the file's alone). */
    public Props over(Props props) {
        return new Props(key -> {
            if (key.equals(LIST)) {
                return Optional.ofNullable(keys.get(LIST));
            }
            return key.startsWith(TENANT) && keys.containsKey(key) ? Optional.of(keys.get(key)) : props.apply(key);
        });
    }
}
