package io.graphsec.routes.support;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A main class of ours in a JVM of its own, on the test classpath, so a kill -9 is a real one. */
public final class ForkedJvm {

    private ForkedJvm() {
    }

    /** Starts {@code mainClass} with the properties as -D options, its output (both streams) in {@code log}. */
    public static Process start(Class<?> mainClass, Map<String, String> props, Path log, String heap) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx" + heap);
        props.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(mainClass.getName());
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }
}
