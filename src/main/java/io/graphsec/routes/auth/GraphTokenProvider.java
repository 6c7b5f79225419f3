package io.graphsec.routes.auth;

import com.microsoft.aad.msal4j.ClientCredentialFactory;
import com.microsoft.aad.msal4j.ClientCredentialParameters;
import com.microsoft.aad.msal4j.ConfidentialClientApplication;
import com.microsoft.aad.msal4j.IAuthenticationResult;
import com.microsoft.aad.msal4j.IClientCredential;
import io.graphsec.routes.config.GraphSettings;
import java.io.InputStream;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * App-only bearer tokens for Graph through MSAL4J (client secret or certificate).
 *
 * <p>One ConfidentialClientApplication per tenant and client, because MSAL's token cache lives in
 * the instance. We keep a thin cache of our own on top: MSAL 1.26 misses its app-token cache for
 * an authority on a non-default port (shared/camel-notes.md §10), which is exactly the simulator's
 * case, and we want the same "one token request per lifetime" behaviour everywhere.
 */
public final class GraphTokenProvider {

    private static final Logger LOG = LoggerFactory.getLogger(GraphTokenProvider.class);

    private final ConfidentialClientApplication app;
    private final Set<String> scopes;
    private final long renewBeforeMillis;
    private final Clock clock;
    private final String label;
    private volatile IAuthenticationResult current;

    public GraphTokenProvider(GraphSettings settings, TrustMaterial trust) {
        this(settings, trust, Clock.systemUTC());
    }

    GraphTokenProvider(GraphSettings settings, TrustMaterial trust, Clock clock) {
        this.scopes = Set.of(settings.scope());
        this.renewBeforeMillis = settings.tokenRenewBefore().toMillis();
        this.clock = clock;
        this.label = "tenant " + settings.tenantId() + ", client " + settings.clientId();
        try {
            ConfidentialClientApplication.Builder builder = ConfidentialClientApplication
                    .builder(settings.clientId(), credential(settings))
                    .authority(settings.authorityUrl())
                    .connectTimeoutForDefaultHttpClient(10_000)
                    .readTimeoutForDefaultHttpClient(30_000);
            if (settings.customAuthority()) {
                // Instance discovery would ask login.microsoftonline.com about a host it has never heard of.
                builder.instanceDiscovery(false).validateAuthority(false);
            }
            SSLContext ssl = trust.sslContext();
            if (ssl != null) {
                builder.sslSocketFactory(ssl.getSocketFactory());
            }
            this.app = builder.build();
        } catch (Exception e) {
            throw new IllegalStateException("cannot set up MSAL for " + label + ": " + safeMessage(e), e);
        }
    }

    /** The value of the Authorization header: {@code Bearer <token>}. */
    public String authorizationHeader() {
        return "Bearer " + token(false).accessToken();
    }

    /**
     * Asks for the first token on a thread of its own while the application is still starting, so the
     * first poll finds it ready. The same request a poll would make (it waits for this one instead of
     * asking again); a failure here is only logged at debug level: the poll asks again and reports it.
     */
    public void prefetch() {
        Thread t = new Thread(() -> {
            try {
                token(false);
            } catch (RuntimeException e) {
                LOG.debug("Early token request for {} failed; the first poll asks again: {}", label, e.getMessage());
            }
        }, "graph-token-prefetch");
        t.setDaemon(true);
        t.start();
    }

    /** Drops the cached token (after a 401) and returns a header with a freshly issued one. */
    public String renewedAuthorizationHeader() {
        return "Bearer " + token(true).accessToken();
    }

    private IAuthenticationResult token(boolean forceRenew) {
        IAuthenticationResult t = current;
        if (!forceRenew && isFresh(t)) {
            return t;
        }
        synchronized (this) {
            t = current;
            if (!forceRenew && isFresh(t)) {
                return t;
            }
            ClientCredentialParameters params = ClientCredentialParameters.builder(scopes)
                    .skipCache(forceRenew || t != null)
                    .build();
            try {
                t = app.acquireToken(params).get(60, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                throw new GraphAuthenticationException("token request for " + label + " failed: "
                        + safeMessage(e.getCause()), e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new GraphAuthenticationException("token request for " + label + " was interrupted", e);
            } catch (Exception e) {
                throw new GraphAuthenticationException("token request for " + label + " failed: " + safeMessage(e), e);
            }
            LOG.info("Acquired a Graph token for {}, valid until {}", label, t.expiresOnDate().toInstant());
            current = t;
            return t;
        }
    }

    private boolean isFresh(IAuthenticationResult t) {
        return t != null && Instant.now(clock).toEpochMilli() < t.expiresOnDate().getTime() - renewBeforeMillis;
    }

    private static IClientCredential credential(GraphSettings s) throws Exception {
        if (s.clientCertificate().isPresent()) {
            Path path = s.clientCertificate().get();
            String name = path.getFileName().toString().toLowerCase();
            if (name.endsWith(".pem") || name.endsWith(".crt") || name.endsWith(".key")) {
                return pemCredential(path);
            }
            try (InputStream in = Files.newInputStream(path)) {
                return ClientCredentialFactory.createFromCertificate(in, s.clientCertificatePassword());
            }
        }
        return ClientCredentialFactory.createFromSecret(s.clientSecret().orElseThrow());
    }

    /** A PEM file holding the private key and the certificate chain (leaf first). */
    private static IClientCredential pemCredential(Path path) throws Exception {
        PrivateKey key = null;
        List<X509Certificate> chain = new ArrayList<>();
        JcaPEMKeyConverter keys = new JcaPEMKeyConverter();
        JcaX509CertificateConverter certs = new JcaX509CertificateConverter();
        try (Reader r = Files.newBufferedReader(path); PEMParser parser = new PEMParser(r)) {
            for (Object o = parser.readObject(); o != null; o = parser.readObject()) {
                if (o instanceof PEMKeyPair kp) {
                    key = keys.getPrivateKey(kp.getPrivateKeyInfo());
                } else if (o instanceof PrivateKeyInfo pki) {
                    key = keys.getPrivateKey(pki);
                } else if (o instanceof X509CertificateHolder h) {
                    chain.add(certs.getCertificate(h));
                }
            }
        }
        if (key == null || chain.isEmpty()) {
            throw new IllegalArgumentException("graph.client-certificate=" + path
                    + " must hold an unencrypted private key and its certificate in PEM form");
        }
        return ClientCredentialFactory.createFromCertificateChain(key, chain);
    }

    /** Exception text without anything that could echo a credential back (MSAL messages quote server replies). */
    static String safeMessage(Throwable e) {
        if (e == null) {
            return "unknown error";
        }
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        m = m.replaceAll("(?i)(client_secret|client_assertion|access_token|password)=[^&\\s\"]*", "$1=***");
        return m.length() > 400 ? m.substring(0, 400) + "…" : m;
    }
}
