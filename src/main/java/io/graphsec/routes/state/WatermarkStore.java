package io.graphsec.routes.state;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * One watermark per polled resource, one small file each, replaced atomically (write, fsync,
 * rename) so a crash leaves either the old or the new value, never a torn one.
 */
public final class WatermarkStore implements Watermarks {

    private final Path dir;

    public WatermarkStore(Path dir) {
        this.dir = dir;
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the state directory " + dir, e);
        }
    }

    public Optional<Instant> read(String resource) {
        Path file = file(resource);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            String text = Files.readString(file, StandardCharsets.UTF_8).trim();
            return text.isEmpty() ? Optional.empty() : Optional.of(Instant.parse(text));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the watermark " + file, e);
        } catch (DateTimeParseException e) {
            throw new IllegalStateException("the watermark file " + file + " does not hold an ISO-8601 instant;"
                    + " fix or delete it (deleting re-reads graph.alerts.initial-lookback)", e);
        }
    }

    public void write(String resource, Instant watermark) {
        Path file = file(resource);
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ch.write(StandardCharsets.UTF_8.encode(watermark.toString() + "\n"));
                ch.force(true);
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the watermark " + file, e);
        }
    }

    private Path file(String resource) {
        if (!resource.matches("[A-Za-z0-9_.-]+")) {
            throw new IllegalArgumentException("resource name '" + resource + "' is not a safe file name");
        }
        return dir.resolve(resource + ".watermark");
    }
}
