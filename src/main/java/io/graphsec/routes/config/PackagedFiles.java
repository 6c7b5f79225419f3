package io.graphsec.routes.config;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.util.Enumeration;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.jar.JarFile;

/**
 * The names of the files the class path carries in one folder (the runnable jar's, or target/classes'
 * when run from the build): needed before Camel starts, to name the packaged routes one by one.
 */
final class PackagedFiles {

    private PackagedFiles() {
    }

    static SortedSet<String> names(ClassLoader loader, String folder, String suffix) {
        SortedSet<String> names = new TreeSet<>();
        try {
            Enumeration<URL> roots = loader.getResources(folder);
            while (roots.hasMoreElements()) {
                URL root = roots.nextElement();
                if (root.getProtocol().equals("jar")) {
                    JarURLConnection connection = (JarURLConnection) root.openConnection();
                    connection.setUseCaches(false);
                    try (JarFile jar = connection.getJarFile()) {
                        jar.stream().map(e -> e.getName())
                                .filter(n -> n.startsWith(folder + "/") && n.indexOf('/', folder.length() + 1) < 0)
                                .map(n -> n.substring(folder.length() + 1))
                                .filter(n -> n.endsWith(suffix)).forEach(names::add);
                    }
                } else if (root.getProtocol().equals("file")) {
                    String[] files = new File(root.toURI()).list((dir, n) -> n.endsWith(suffix));
                    if (files != null) {
                        names.addAll(java.util.List.of(files));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the packaged " + folder, e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot list the packaged " + folder, e);
        }
        return names;
    }
}
