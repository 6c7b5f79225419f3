package io.graphsec.routes.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.PluginHelper;

/**
 * The files a key names (mapping files, the hunts folder). A relative path is looked up in the
 * configuration folder ({@code graph.config-dir}, else the working directory), then in the copy the jar
 * carries under graph-security/; an absolute path is read as it is. A file found nowhere stops the start
 * with one line naming the key, the path and the fix.
 */
public final class ConfigFiles {

    /** A file's text and where it was read from (for messages and the log). */
    public record ConfigFile(String location, String text) {
    }

    private final CamelContext context;
    private final Props props;
    private final Path folder;

    ConfigFiles(CamelContext context, Props props, Path folder) {
        this.context = context;
        this.props = props;
        this.folder = folder;
    }

    /** The folder the standalone app set ({@link ConfigFolder}); in a host, graph.config-dir or its working directory. */
    public static ConfigFiles of(CamelContext context, Props props) {
        return new ConfigFiles(context, props,
                Path.of(props.apply(ConfigFolder.KEY).orElse("")).toAbsolutePath().normalize());
    }

    /** Where the file {@code key} names is, read or not: a relative path is in the configuration folder. */
    public Path inFolder(String key) {
        return folder.resolve(Path.of(props.required(key)));
    }

    /** The file {@code key} names. */
    public ConfigFile read(String key) {
        String value = props.required(key);
        Path path = Path.of(value);
        Path inFolder = folder.resolve(path);
        if (Files.isRegularFile(inFolder)) {
            return new ConfigFile(inFolder.toString(), text(key, inFolder));
        }
        if (!path.isAbsolute()) {
            String packaged = ConfigFolder.PACKAGED + value.replace('\\', '/');
            try (InputStream in = context.getClassResolver().loadResourceAsStream(packaged)) {
                if (in != null) {
                    return new ConfigFile("classpath:" + packaged, new String(in.readAllBytes(), StandardCharsets.UTF_8));
                }
            } catch (IOException e) {
                throw new ConfigurationException(key + "=" + value + ": the copy in the jar cannot be read ("
                        + e.getMessage() + "); put the file at " + inFolder, e);
            }
        }
        throw new ConfigurationException(key + "=" + value + ": " + inFolder + " does not exist"
                + (path.isAbsolute() ? "" : " and the jar carries no " + value) + "; create it there, or set " + key
                + " to an existing file (in " + folder.resolve("application.properties") + ", -D" + key + " or "
                + GraphSettings.envName(key) + ")");
    }

    /**
     * The files ending in {@code suffix} in the folder {@code key} names, by file name: a relative folder
     * is the jar's copy with the configuration folder's files of the same name replacing, and others
     * adding to, its own; an absolute folder is read alone and must exist.
     */
    public Map<String, ConfigFile> readAll(String key, String suffix) {
        String value = props.required(key);
        Path path = Path.of(value);
        Path inFolder = folder.resolve(path);
        Map<String, ConfigFile> files = new TreeMap<>();
        if (!path.isAbsolute()) {
            String pattern = "classpath:" + ConfigFolder.PACKAGED + value.replace('\\', '/') + "/*" + suffix;
            try {
                for (Resource r : PluginHelper.getPackageScanResourceResolver(context).findResources(pattern)) {
                    String name = r.getLocation().substring(r.getLocation().lastIndexOf('/') + 1);
                    try (InputStream in = r.getInputStream()) {
                        files.put(name, new ConfigFile(r.getLocation(), new String(in.readAllBytes(), StandardCharsets.UTF_8)));
                    }
                }
            } catch (Exception e) {
                throw new ConfigurationException(key + "=" + value + ": the copy in the jar cannot be read ("
                        + e.getMessage() + "); put the files in " + inFolder, e);
            }
        } else if (!Files.isDirectory(inFolder)) {
            throw new ConfigurationException(key + "=" + value + ": the folder " + inFolder + " does not exist; create"
                    + " it, or set " + key + " to an existing folder (-D" + key + ", " + GraphSettings.envName(key)
                    + " or application.properties)");
        }
        if (Files.isDirectory(inFolder)) {
            try (Stream<Path> list = Files.list(inFolder)) {
                for (Path f : list.filter(f -> f.getFileName().toString().endsWith(suffix)).toList()) {
                    files.put(f.getFileName().toString(), new ConfigFile(f.toString(), text(key, f)));
                }
            } catch (IOException e) {
                throw new ConfigurationException(key + "=" + value + ": the folder " + inFolder + " cannot be listed ("
                        + e.getMessage() + "); make it readable", e);
            }
        }
        return files;
    }

    private static String text(String key, Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfigurationException(key + ": " + file + " cannot be read (" + e.getClass().getSimpleName()
                    + ": " + e.getMessage() + "); make it readable by this user, or set " + key + " to another file", e);
        }
    }
}
