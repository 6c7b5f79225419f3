package io.graphsec.routes.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/**
 * The settings every Graph-facing bean needs, read once and checked together, so that a
 * half-configured deployment refuses to start with one message naming every missing key
 * instead of failing at the first poll.
 */
public final class GraphSettings {

    private final String tenantId;
    private final String clientId;
    private final String clientSecret;
    private final Path clientCertificate;
    private final String clientCertificatePassword;
    private final GraphCloud cloud;
    private final String graphBaseUrl;
    private final String authorityUrl;
    private final String scope;
    private final boolean customAuthority;
    private final Path trustStore;
    private final String trustStorePassword;
    private final Duration tokenRenewBefore;

    private GraphSettings(Function<String, Optional<String>> props) {
        List<String> missing = new ArrayList<>();
        List<String> invalid = new ArrayList<>();

        this.tenantId = required(props, "graph.tenant-id", missing);
        this.clientId = required(props, "graph.client-id", missing);
        this.clientSecret = props.apply("graph.client-secret").orElse(null);
        this.clientCertificate = props.apply("graph.client-certificate").map(Path::of).orElse(null);
        this.clientCertificatePassword = props.apply("graph.client-certificate-password").orElse("");
        if (clientSecret == null && clientCertificate == null) {
            missing.add("graph.client-secret or graph.client-certificate");
        }

        // Stands in only while the settings are checked: a missing graph.cloud stops the start below.
        GraphCloud c = GraphCloud.GLOBAL;
        String cloudKey = required(props, "graph.cloud", missing);
        try {
            c = cloudKey == null ? c : GraphCloud.fromKey(cloudKey);
        } catch (IllegalArgumentException e) {
            invalid.add(e.getMessage());
        }
        this.cloud = c;
        if (!c.securityApiAvailable()) {
            invalid.add("graph.cloud=" + c.key() + ": the Microsoft Graph Security API is not offered in this cloud"
                    + " (China, operated by 21Vianet); alerts_v2 and incidents cannot be polled there");
        }

        this.graphBaseUrl = trimSlash(props.apply("graph.base-url").orElse(c.graphBaseUrl()));
        Optional<String> explicitAuthority = props.apply("graph.authority-host");
        this.customAuthority = explicitAuthority.isPresent();
        String authorityHost = trimSlash(explicitAuthority.orElse(c.authorityHost()));
        this.authorityUrl = authorityHost + "/" + (tenantId == null ? "" : tenantId) + "/";
        // The .default scope must name the Graph host the token is for; a custom base URL (the simulator)
        // keeps the cloud's scope unless told otherwise.
        this.scope = props.apply("graph.scope").orElse(c.graphBaseUrl() + "/.default");
        checkHttps("graph.base-url", graphBaseUrl, invalid);
        checkHttps("graph.authority-host", authorityHost, invalid);

        this.trustStore = props.apply("graph.trust-store").map(Path::of).orElse(null);
        this.trustStorePassword = props.apply("graph.trust-store-password").orElse("");
        Duration renew = null;
        String renewText = required(props, "graph.token.renew-before", missing);
        try {
            renew = renewText == null ? null : Duration.parse(renewText);
        } catch (RuntimeException e) {
            invalid.add("graph.token.renew-before is not an ISO-8601 duration such as PT5M");
        }
        this.tokenRenewBefore = renew;

        if (!missing.isEmpty() || !invalid.isEmpty()) {
            throw new ConfigurationException(describe(missing, invalid));
        }
    }

    /** Reads and checks the settings; throws IllegalStateException naming every missing or invalid key. */
    public static GraphSettings from(Function<String, Optional<String>> props) {
        return new GraphSettings(props);
    }

    private static String describe(List<String> missing, List<String> invalid) {
        StringBuilder sb = new StringBuilder("graph-security-routes cannot start:");
        if (!missing.isEmpty()) {
            sb.append(" missing configuration ").append(String.join(", ", missing))
              .append(" (set each in application.properties, as -D<key>=<value>, or as an environment variable such as ")
              .append(envName(missing.get(0).split(" ")[0])).append(")");
        }
        for (String i : invalid) {
            sb.append("; ").append(i);
        }
        return sb.toString();
    }

    /** The environment variable Camel's properties component maps onto a key. */
    public static String envName(String key) {
        return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    private static String required(Function<String, Optional<String>> props, String key, List<String> missing) {
        Optional<String> v = props.apply(key).map(String::trim).filter(s -> !s.isEmpty());
        if (v.isEmpty()) {
            missing.add(key);
        }
        return v.orElse(null);
    }

    private static void checkHttps(String key, String url, List<String> invalid) {
        try {
            if (!"https".equalsIgnoreCase(URI.create(url).getScheme())) {
                invalid.add(key + "=" + url + " must be an https URL");
            }
        } catch (IllegalArgumentException e) {
            invalid.add(key + "=" + url + " is not a valid URL");
        }
    }

    private static String trimSlash(String s) {
        String t = s.trim();
        return t.endsWith("/") ? t.substring(0, t.length() - 1) : t;
    }

    public String tenantId() { return tenantId; }
    public String clientId() { return clientId; }
    public Optional<String> clientSecret() { return Optional.ofNullable(clientSecret); }
    public Optional<Path> clientCertificate() { return Optional.ofNullable(clientCertificate); }
    public String clientCertificatePassword() { return clientCertificatePassword; }
    public GraphCloud cloud() { return cloud; }
    public String graphBaseUrl() { return graphBaseUrl; }
    public String authorityUrl() { return authorityUrl; }
    public String scope() { return scope; }
    /** True when the authority is not a Microsoft login host MSAL knows (the simulator, a proxy). */
    public boolean customAuthority() { return customAuthority; }
    public Optional<Path> trustStore() { return Optional.ofNullable(trustStore); }
    public String trustStorePassword() { return trustStorePassword; }
    public Duration tokenRenewBefore() { return tokenRenewBefore; }

    @Override
    public String toString() {
        // Never print the secret or the certificate password.
        return "GraphSettings[tenant=" + tenantId + ", client=" + clientId + ", cloud=" + cloud.key()
                + ", graph=" + graphBaseUrl + ", authority=" + authorityUrl
                + ", credential=" + (clientCertificate != null ? "certificate" : "secret") + "]";
    }
}
