package io.graphsec.routes.state;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;

/**
 * The last delivered version (lastUpdateDateTime, with severity and status) of every alert or
 * incident seen within the change memory: the dedup of {@code (id, lastUpdateDateTime)}, and what
 * tells a created alert from an updated, escalated, resolved or reopened one.
 *
 * <p>Why not Camel's FileIdempotentRepository: its {@code contains} scans the whole file on every
 * cache miss (every new alert), and the idempotent consumer records a key before the JMS commit,
 * so a crash in between would lose that alert. Here versions are recorded only after the page's
 * JMS transaction committed ({@link #remember}), so a crash can re-send but never lose; the log is
 * append-only and compacted, and entries older than the overlap window are pruned, which bounds it.
 */
public final class AlertVersionStore implements DeliveredVersions {

    private final Path file;
    private final int maxEntries;
    private final CompactVersions versions = new CompactVersions();
    private BufferedWriter log;
    private long logLines;

    public AlertVersionStore(Path dir, String resource, int maxEntries) {
        this.file = dir.resolve(resource + ".versions");
        this.maxEntries = maxEntries;
        try {
            Files.createDirectories(dir);
            load();
            compact();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the alert version store " + file, e);
        }
    }

    /** True if this version of the alert has not been delivered yet. */
    public synchronized boolean isNew(String key, String version) {
        String last = versions.get(key);
        return last == null || !version.equals(EntityState.versionOf(last));
    }

    /** The version delivered last for an alert, or null. */
    public synchronized String lastVersion(String key) {
        String last = versions.get(key);
        return last == null ? null : EntityState.versionOf(last);
    }

    /** The alert as delivered last (version, severity, status), or null if never delivered or forgotten. */
    public synchronized EntityState lastState(String key) {
        String last = versions.get(key);
        return last == null ? null : EntityState.parse(last);
    }

    /**
     * Records delivered versions, each value a version or an {@link EntityState#format()}; call only
     * after they are safely handed to the broker.
     */
    public synchronized void remember(Collection<Map.Entry<String, String>> delivered) {
        try {
            for (Map.Entry<String, String> e : delivered) {
                if (versions.put(e.getKey(), e.getValue())) {
                    log.write(e.getKey());
                    log.write('\t');
                    log.write(e.getValue());
                    log.write('\n');
                    logLines++;
                }
            }
            log.flush();
            if (versions.size() > maxEntries || logLines > 2L * Math.max(versions.size(), 10_000)) {
                compact();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to the alert version store " + file, e);
        }
    }

    /**
     * Forgets alerts last updated before {@code horizon}: a poll never asks for them again, so they
     * cannot come back as duplicates.
     */
    public synchronized void forgetOlderThan(Instant horizon) {
        if (versions.forgetBefore(horizon) > 0) {
            try {
                compact();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot compact the alert version store " + file, e);
            }
        }
    }

    public synchronized int size() {
        return versions.size();
    }

    private void load() throws IOException {
        if (!Files.exists(file)) {
            return;
        }
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                int tab = line.indexOf('\t');
                // A line cut short by a crash has no tab or an empty version; skipping it only risks a re-send.
                if (tab > 0 && tab < line.length() - 1) {
                    versions.put(line.substring(0, tab), line.substring(tab + 1));
                }
            }
        }
    }

    private void compact() throws IOException {
        if (log != null) {
            log.close();
        }
        if (versions.size() > maxEntries) {
            // A tenth below the cap, so that a store at its cap is not sorted and rewritten on every page.
            versions.keepNewest(maxEntries - maxEntries / 10);
        }
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (BufferedWriter w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
            versions.forEach((key, value) -> {
                try {
                    w.write(key);
                    w.write('\t');
                    w.write(value);
                    w.write('\n');
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        logLines = versions.size();
        log = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    }

    @Override
    public synchronized void close() throws IOException {
        if (log != null) {
            log.close();
            log = null;
        }
    }
}
