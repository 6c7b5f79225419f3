package io.graphsec.routes.support;

import io.graphsec.routes.GraphSecurityApplication;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The standalone app as an operator starts it, in a folder of the test's choosing: the runnable jar
 * (target/graph-security-routes.jar, which .ci/run builds before the tests) when it is at least as new as
 * target/classes, else the same main class on target/classes and the dependencies (a test run before {@code package},
 * or after a change not yet packaged). Either way the process's working directory is the given folder.
 */
public final class RunnableJar {

    public static final Path JAR = Path.of("target/graph-security-routes.jar").toAbsolutePath();
    private static final Path CLASSES = Path.of("target/classes").toAbsolutePath();

    private RunnableJar() {
    }

    /** Starts it in {@code workingDir} with the properties as -D options and these environment variables. */
    public static Process start(Path workingDir, Map<String, String> props, Map<String, String> env, Path log)
            throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx512m");
        props.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
        if (jarIsCurrent()) {
            cmd.add("-jar");
            cmd.add(JAR.toString());
        } else {
            cmd.add("-cp");
            cmd.add(mainClassPath());
            cmd.add(GraphSecurityApplication.class.getName());
        }
        ProcessBuilder builder = new ProcessBuilder(cmd).directory(workingDir.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(env);
        return builder.start();
    }

    /** The test's class path without the test classes and resources: what the jar carries, and the test libraries. */
    private static String mainClassPath() {
        String testClasses = Path.of("target/test-classes").toAbsolutePath().toString();
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        return Stream.of(classPath.split(File.pathSeparator))
                .filter(entry -> !Path.of(entry).toAbsolutePath().toString().equals(testClasses))
                .collect(Collectors.joining(File.pathSeparator));
    }

    /** Whether the jar holds what target/classes holds: it was packaged after every class and resource there. */
    public static boolean jarIsCurrent() {
        if (!Files.isRegularFile(JAR)) {
            return false;
        }
        try (Stream<Path> files = Files.walk(CLASSES)) {
            FileTime jar = Files.getLastModifiedTime(JAR);
            return files.filter(Files::isRegularFile).allMatch(f -> {
                try {
                    return Files.getLastModifiedTime(f).compareTo(jar) <= 0;
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
