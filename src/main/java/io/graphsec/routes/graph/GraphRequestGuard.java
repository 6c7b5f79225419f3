package io.graphsec.routes.graph;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Collection;
import java.util.Locale;
import java.util.Optional;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * The last step before every Graph request leaves: the URL in {@code CamelHttpUri} must be a plain
 * URL on one of the deployment's Graph hosts, and nothing else may steer camel-http. camel-http
 * resolves property placeholders in that header (Camel's own fix came only in later patch releases),
 * so a URL with a brace in it could read {@code {{graph.client-secret}}} or call a bean. URLs are built
 * from a fixed base and allow-listed ids ({@link GraphIds}), or follow Graph's own nextLink; this
 * check holds whatever builds them and whatever Camel version runs: a URL with a brace (raw or
 * percent-encoded), a character a URL may not hold, a user part, a fragment, a dot-dot segment or
 * another host is refused before it is sent.
 */
public final class GraphRequestGuard {

    /** RFC 3986's unreserved and reserved characters and percent escapes; no braces, spaces, quotes, carets, pipes or backslashes. */
    private static final Pattern URL_CHARS = Pattern.compile("(?:[A-Za-z0-9\\-._~:/?\\[\\]@!$&'()*+,;=]|%[0-9A-Fa-f]{2})*");
    private static final Pattern ENCODED_BRACE_OR_DOT = Pattern.compile("(?i)%7[bd]|%2e");

    private final Supplier<Collection<String>> graphBaseUrls;
    private final Map<String, String> originOfBase = new ConcurrentHashMap<>();

    /**
     * {@code graphBaseUrls}: the Graph base URL of every tenant of the deployment, asked at each check
     * (tenants are added while the application is set up); their origins are the hosts allowed.
     */
    public GraphRequestGuard(Supplier<Collection<String>> graphBaseUrls) {
        this.graphBaseUrls = graphBaseUrls;
    }

    /** Refuses the exchange's request unless its URL is safe to send; drops the headers that would change the URL. */
    public void check(Exchange exchange) {
        Message in = exchange.getIn();
        in.removeHeader(Exchange.HTTP_PATH);
        in.removeHeader(Exchange.HTTP_QUERY);
        in.removeHeader(Exchange.HTTP_RAW_QUERY);
        String url = in.getHeader(Exchange.HTTP_URI, String.class);
        if (url == null) {
            throw new UnsafeGraphRequestException("a Graph request without a URL (CamelHttpUri) is not sent");
        }
        problem(url).ifPresent(p -> {
            throw new UnsafeGraphRequestException(p);
        });
    }

    /** Empty if the URL may be sent, otherwise why not (the URL itself quoted escaped). */
    public Optional<String> problem(String url) {
        String shown = GraphIds.quote(url);
        if (!URL_CHARS.matcher(url).matches()) {
            return Optional.of("the Graph request URL " + shown + " holds a character a URL may not hold; not sent");
        }
        if (ENCODED_BRACE_OR_DOT.matcher(url).find()) {
            return Optional.of("the Graph request URL " + shown + " holds an encoded brace or dot; not sent");
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            return Optional.of("the Graph request URL " + shown + " is not a URL; not sent");
        }
        if (!uri.isAbsolute() || uri.getRawUserInfo() != null || uri.getRawFragment() != null || uri.getHost() == null) {
            return Optional.of("the Graph request URL " + shown + " must be absolute, without a user part or fragment; not sent");
        }
        String origin = origin(uri);
        if (graphBaseUrls.get().stream().noneMatch(base -> origin.equals(originOfBase.computeIfAbsent(base,
                b -> origin(URI.create(b)))))) {
            return Optional.of("the Graph request URL " + shown + " is not on a Graph host of this deployment; not sent");
        }
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        for (String segment : path.split("/", -1)) {
            if (segment.equals("..") || segment.equals(".")) {
                return Optional.of("the Graph request URL " + shown + " has a dot segment; not sent");
            }
        }
        return Optional.empty();
    }

    private static String origin(URI uri) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        int port = uri.getPort() != -1 ? uri.getPort() : "https".equals(scheme) ? 443 : 80;
        return scheme + "://" + (uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT)) + ":" + port;
    }
}
