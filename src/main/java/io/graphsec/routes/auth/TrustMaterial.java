package io.graphsec.routes.auth;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.apache.camel.support.jsse.KeyStoreParameters;
import org.apache.camel.support.jsse.SSLContextParameters;
import org.apache.camel.support.jsse.TrustManagersParameters;

/**
 * The trust the Graph client extends, built from configuration only: the JVM's default trust store,
 * or a trust store file (a corporate TLS proxy's CA, the simulator's self-signed certificate).
 * Verification is never switched off.
 */
public final class TrustMaterial {

    private final Path trustStore;
    private final String password;
    private final String key;
    private SSLContext context;

    public TrustMaterial(Path trustStore, String password) {
        this(trustStore, password, "graph.trust-store");
    }

    /** {@code key}: the setting that named the trust store, for the error message. */
    public TrustMaterial(Path trustStore, String password, String key) {
        this.trustStore = trustStore;
        this.password = password == null ? "" : password;
        this.key = key;
    }

    /** For camel-http endpoints ({@code sslContextParameters=#graphSslContext}). */
    public SSLContextParameters camelParameters() {
        SSLContextParameters params = new SSLContextParameters();
        if (trustStore != null) {
            KeyStoreParameters ks = new KeyStoreParameters();
            ks.setResource("file:" + trustStore.toAbsolutePath());
            ks.setPassword(password);
            ks.setType(type());
            TrustManagersParameters tm = new TrustManagersParameters();
            tm.setKeyStore(ks);
            params.setTrustManagers(tm);
        }
        return params;
    }

    /**
     * For MSAL4J's token requests; null means the JVM default. Made once: the tenants that name the
     * same trust store share it (and its TLS sessions), instead of each reading and parsing the store.
     */
    public synchronized SSLContext sslContext() {
        if (trustStore == null) {
            return null;
        }
        if (context == null) {
            context = load();
        }
        return context;
    }

    private SSLContext load() {
        try (InputStream in = Files.newInputStream(trustStore)) {
            KeyStore ks = KeyStore.getInstance(type());
            ks.load(in, password.toCharArray());
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx;
        } catch (Exception e) {
            throw new IllegalStateException(key + "=" + trustStore + " cannot be read as a "
                    + type() + " trust store: " + e.getClass().getSimpleName(), e);
        }
    }

    private String type() {
        String name = trustStore.getFileName().toString().toLowerCase();
        return name.endsWith(".jks") ? "JKS" : "PKCS12";
    }
}
