package io.graphsec.routes.state;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Which ticket each Graph incident (or lone alert) has: one small JSON file per unit under
 * {@code graph.state.dir/tickets}, replaced atomically (write, fsync, rename) as the watermark is,
 * so a kill -9 leaves the old or the new record, never a torn one. A unit merged into another
 * incident keeps a record that points at its target ({@code redirectedTo}).
 */
public final class TicketCorrelationStore implements TicketCorrelations {

    private final ObjectMapper mapper = new ObjectMapper();
    private final Path dir;

    public TicketCorrelationStore(Path stateDir) {
        this.dir = stateDir.resolve("tickets");
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the ticket correlation directory " + dir, e);
        }
    }

    public synchronized Optional<ObjectNode> get(String unit) {
        Path file = file(unit);
        if (!Files.exists(file)) {
            file = legacyFile(unit);
        }
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            JsonNode node = mapper.readTree(file.toFile());
            return node instanceof ObjectNode o ? Optional.of(o) : Optional.empty();
        } catch (IOException e) {
            throw new IllegalStateException("the ticket correlation file " + file + " is not valid JSON; fix or delete"
                    + " it (deleting makes the next message search the ticketing system for its ticket)", e);
        }
    }

    public synchronized void put(String unit, ObjectNode record) {
        Path file = file(unit);
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ch.write(StandardCharsets.UTF_8.encode(mapper.writeValueAsString(record) + "\n"));
                ch.force(true);
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            Path legacy = legacyFile(unit);
            if (!legacy.equals(file)) {
                Files.deleteIfExists(legacy);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the ticket correlation " + file, e);
        }
    }

    public Path directory() {
        return dir;
    }

    /**
     * One file name per unit, never shared: a unit is {@code [tenant:]kind:id} of allow-listed parts, so
     * its ':' (always present) becomes '~', which no part holds; anything else is hashed, and a hashed
     * name holds no '~'.
     */
    private Path file(String unit) {
        String name = unit.matches("[A-Za-z0-9_.:=-]{1,200}") && unit.contains(":") && !unit.contains("..")
                ? unit.replace(':', '~')
                : "x_" + sha256(unit);
        return dir.resolve(name + ".json");
    }

    /**
     * The name an earlier version gave the unit's file (':' as '_', which two units could share: a tenant
     * named "alert" and an id with '_'); read when the unit has no file of its own yet, removed on its next write.
     */
    private Path legacyFile(String unit) {
        String name = unit.matches("[A-Za-z0-9_.:-]{1,200}") && !unit.contains("..")
                ? unit.replace(':', '_')
                : "x_" + sha256(unit);
        return dir.resolve(name + ".json");
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
