package io.graphsec.routes.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The benchmark's Graph simulator in a JVM of its own, so that the measured JVM holds only the
 * application, its broker and the benchmark's own small bookkeeping: one tenant and its backlog
 * ({@link BenchSimulator#main}), or the tenants mode's T tenants ({@link TenantsSimulator#main}).
 */
final class ForkedSimulator implements BenchTenant, SimulatedTenants {

    private static final String EXITED = BenchSimulator.PROTOCOL + "EXITED";

    private final Process process;
    private final Writer commands;
    private final BlockingQueue<String> replies = new LinkedBlockingQueue<>();
    private final Map<String, String> appProperties = new LinkedHashMap<>();
    private final Map<String, Long> expected = new TreeMap<>();
    /** How long loading the backlog took and how much heap it holds, as the simulator reported. */
    final Duration loadTime;
    final long loadedHeapBytes;

    ForkedSimulator(Path dir, int alerts, boolean throttle, String heap) throws IOException {
        this(heap, BenchSimulator.class, dir.toString(), String.valueOf(alerts), String.valueOf(throttle));
    }

    /** Starts {@code main} (a class whose main answers through {@link BenchSimulator#serve}) with these arguments. */
    ForkedSimulator(String heap, Class<?> main, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + heap, "-cp", System.getProperty("java.class.path"), main.getName()));
        cmd.addAll(List.of(args));
        process = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        commands = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        Thread reader = new Thread(this::readOutput, "bench-simulator-output");
        reader.setDaemon(true);
        reader.start();
        String[] loaded = take(Duration.ofMinutes(10)).split(" ");
        if (!loaded[0].equals("LOADED")) {
            throw new IOException("the simulator process did not start: " + String.join(" ", loaded));
        }
        loadTime = Duration.ofMillis(Long.parseLong(loaded[2]));
        loadedHeapBytes = Long.parseLong(loaded[3]);
        for (String line : call("describe")) {
            String[] f = line.split(" ", 2);
            if (f[0].equals("PROP")) {
                int eq = f[1].indexOf('=');
                appProperties.put(f[1].substring(0, eq), f[1].substring(eq + 1));
            } else if (f[0].equals("EXPECT")) {
                String[] qn = f[1].split(" ");
                expected.put(qn[0], Long.parseLong(qn[1]));
            }
        }
    }

    private void readOutput() {
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                if (line.startsWith(BenchSimulator.PROTOCOL)) {
                    replies.add(line);
                } else {
                    System.out.println("[simulator] " + line);
                }
            }
        } catch (IOException e) {
            System.out.println("[simulator] output lost: " + e);
        }
        replies.add(EXITED);
    }

    private String take(Duration timeout) throws IOException {
        try {
            String line = replies.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (line == null || line.equals(EXITED)) {
                throw new IOException("the simulator process " + (line == null ? "did not answer within " + timeout
                        : "exited with " + process.waitFor()));
            }
            return line.substring(BenchSimulator.PROTOCOL.length());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for the simulator", e);
        }
    }

    private synchronized List<String> call(String command) throws IOException {
        commands.write(command + "\n");
        commands.flush();
        List<String> lines = new ArrayList<>();
        for (String line = take(Duration.ofSeconds(60)); !line.equals("END"); line = take(Duration.ofSeconds(60))) {
            if (line.startsWith("ERROR")) {
                throw new IOException("simulator: " + line);
            }
            lines.add(line);
        }
        return lines;
    }

    private List<String> callUnchecked(String command) {
        try {
            return call(command);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Override
    public Map<String, String> appProperties() {
        return appProperties;
    }

    @Override
    public synchronized Map<String, Long> expectedPerQueue() {
        return new TreeMap<>(expected);
    }

    @Override
    public Requests requests() {
        String[] f = callUnchecked("stats").get(0).split(" ");
        return new Requests(Long.parseLong(f[1]), Long.parseLong(f[2]));
    }

    @Override
    public Calls calls() {
        List<List<Long>> perTenant = new ArrayList<>();
        long throttled = 0;
        for (String line : callUnchecked("calls")) {
            String[] f = line.split(" ");
            if (f[0].equals("CALLS")) {
                List<Long> times = new ArrayList<>(f.length - 2);
                for (int i = 2; i < f.length; i++) {
                    times.add(Long.parseLong(f[i]));
                }
                perTenant.add(times);
            } else if (f[0].equals("THROTTLED")) {
                throttled = Long.parseLong(f[1]);
            }
        }
        return new Calls(perTenant, throttled);
    }

    @Override
    public void throttle(int tenant, int retryAfterSeconds, java.time.Duration during) {
        callUnchecked("throttle " + tenant + " " + retryAfterSeconds + " " + during.toMillis());
    }

    @Override
    public Added addNow() {
        String[] f = callUnchecked("add").get(0).split(" ");
        synchronized (this) {
            expected.merge(f[2], 1L, Long::sum);
        }
        return new Added(f[1], f[2], Instant.parse(f[3]));
    }

    @Override
    public void addRecent(int count) {
        callUnchecked("recent " + count);
        List<String> described = callUnchecked("describe");
        synchronized (this) {
            described.stream().filter(l -> l.startsWith("EXPECT ")).map(l -> l.split(" "))
                    .forEach(f -> expected.put(f[1], Long.parseLong(f[2])));
        }
    }

    @Override
    public void close() {
        try {
            commands.write("quit\n");
            commands.flush();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroy();
            }
        } catch (IOException | InterruptedException e) {
            process.destroy();
        }
    }
}
