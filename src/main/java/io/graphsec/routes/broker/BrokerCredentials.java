package io.graphsec.routes.broker;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one user the embedded broker admits, on every acceptor: the configured password, or else one
 * generated at first start into {@link #PASSWORD_FILE} under the broker's data directory (readable
 * by the app's user only) and read back on later starts, so consumers configured once keep working.
 * The password is never logged, nor put in an exception or {@link #toString()}.
 */
public final class BrokerCredentials {

    private static final Logger LOG = LoggerFactory.getLogger(BrokerCredentials.class);

    /** The generated password's file, relative to graph.broker.embedded.data-dir. */
    public static final String PASSWORD_FILE = "broker.password";

    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private final String user;
    private final String password;

    public BrokerCredentials(String user, String password) {
        if (user == null || user.isBlank()) {
            throw new IllegalArgumentException("graph.broker.embedded.user is empty: the embedded broker admits"
                    + " only a named user (set it in application.properties or GRAPH_BROKER_EMBEDDED_USER)");
        }
        if (password == null || password.isBlank()) {
            throw new IllegalArgumentException("The embedded broker's password is empty");
        }
        this.user = user;
        this.password = password;
    }

    /**
     * The configured password if there is one, else the one in {@code dataDir/broker.password},
     * generated (256 random bits) if that file does not exist yet.
     */
    public static BrokerCredentials resolve(Path dataDir, String user, String configuredPassword) throws IOException {
        if (configuredPassword != null && !configuredPassword.isBlank()) {
            return new BrokerCredentials(user, configuredPassword);
        }
        Path file = dataDir.resolve(PASSWORD_FILE);
        if (!Files.exists(file)) {
            try {
                Files.createDirectories(dataDir);
                write(file, generate());
                LOG.info("Embedded broker: generated the password of user '{}' into {}", user, file.toAbsolutePath());
            } catch (FileAlreadyExistsException raced) {
                // Another start wrote it first: read theirs.
            }
        }
        String password = Files.readString(file, StandardCharsets.UTF_8).trim();
        if (password.isEmpty()) {
            throw new IllegalStateException(file.toAbsolutePath() + " is empty: delete it to have a new password"
                    + " generated, or set graph.broker.embedded.password");
        }
        ownerOnly(file);
        return new BrokerCredentials(user, password);
    }

    /** For a standalone process: -Dgraph.broker.embedded.user/password, else the environment, else the file. */
    public static BrokerCredentials fromSystem(Path dataDir) throws IOException {
        return resolve(dataDir, setting("graph.broker.embedded.user", "graph"), setting("graph.broker.embedded.password", null));
    }

    private static String setting(String key, String dflt) {
        String value = System.getProperty(key);
        if (value == null || value.isBlank()) {
            value = System.getenv(key.toUpperCase(java.util.Locale.ROOT).replace('.', '_').replace('-', '_'));
        }
        return value == null || value.isBlank() ? dflt : value.trim();
    }

    private static String generate() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** Created with owner-only permissions from the start, so the password is never readable by others. */
    private static void write(Path file, String password) throws IOException {
        if (posix(file.getParent())) {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        } else {
            Files.createFile(file);
            java.io.File f = file.toFile();
            f.setReadable(false, false);
            f.setWritable(false, false);
            f.setReadable(true, true);
            f.setWritable(true, true);
        }
        Files.writeString(file, password + "\n", StandardCharsets.UTF_8);
    }

    /** A file copied in with looser permissions (a restored backup) is narrowed again. */
    private static void ownerOnly(Path file) throws IOException {
        if (posix(file) && !Files.getPosixFilePermissions(file).equals(OWNER_ONLY)) {
            LOG.warn("{} was readable by others than its owner; narrowed to 0600", file.toAbsolutePath());
            Files.setPosixFilePermissions(file, OWNER_ONLY);
        }
    }

    private static boolean posix(Path path) {
        return path.getFileSystem().supportedFileAttributeViews().contains("posix");
    }

    public String user() {
        return user;
    }

    public String password() {
        return password;
    }

    @Override
    public String toString() {
        return "BrokerCredentials[user=" + user + "]";
    }
}
