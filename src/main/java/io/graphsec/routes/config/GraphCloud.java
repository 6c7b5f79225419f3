package io.graphsec.routes.config;

import java.util.Arrays;
import java.util.Locale;

/**
 * The Microsoft clouds the Security API can be reached in, with the three values that must agree:
 * Graph host, token authority host and the .default scope (shared/graph-security-api.md §8).
 * Tokens are not interchangeable between clouds, so the scope follows the Graph host.
 */
public enum GraphCloud {
    GLOBAL("global", "https://graph.microsoft.com", "https://login.microsoftonline.com", true),
    USGOV("usgov", "https://graph.microsoft.us", "https://login.microsoftonline.us", true),
    USGOV_DOD("usgov-dod", "https://dod-graph.microsoft.us", "https://login.microsoftonline.us", true),
    // Graph itself runs in China (21Vianet), but the Security API is not offered there.
    CHINA("china", "https://microsoftgraph.chinacloudapi.cn", "https://login.chinacloudapi.cn", false);

    private final String key;
    private final String graphBaseUrl;
    private final String authorityHost;
    private final boolean securityApiAvailable;

    GraphCloud(String key, String graphBaseUrl, String authorityHost, boolean securityApiAvailable) {
        this.key = key;
        this.graphBaseUrl = graphBaseUrl;
        this.authorityHost = authorityHost;
        this.securityApiAvailable = securityApiAvailable;
    }

    public String key() { return key; }
    public String graphBaseUrl() { return graphBaseUrl; }
    public String authorityHost() { return authorityHost; }
    public boolean securityApiAvailable() { return securityApiAvailable; }

    public static GraphCloud fromKey(String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(c -> c.key.equals(v)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("graph.cloud=" + value
                        + " is not a known cloud; use one of global, usgov, usgov-dod, china"));
    }
}
