package io.graphsec.routes.feedback;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.camel.Exchange;

/**
 * Admits a ticketing webhook call only with proof of the shared key: an HMAC-SHA256 of
 * {@code <timestamp>.<raw body>} in {@code X-Graph-Signature: sha256=<hex>}, the timestamp (epoch
 * seconds) in {@code X-Graph-Timestamp}, within the freshness window of the clock and not seen
 * before within that window; or, weaker (a captured header works until the key changes),
 * {@code Authorization: Bearer <key>} for a ticketing system that can only send a static header.
 * Comparisons are constant-time; the key and the presented values are never logged or echoed.
 */
public final class WebhookAuthenticator {

    public static final String SIGNATURE_HEADER = "X-Graph-Signature";
    public static final String TIMESTAMP_HEADER = "X-Graph-Timestamp";

    private final byte[] hmacKey;
    private final byte[] bearerKey;
    private final Duration window;
    private final int replayCacheSize;
    private final Clock clock;
    /** Signatures accepted within the window, oldest first, with the instant they stop being fresh. */
    private final Map<String, Instant> accepted = new LinkedHashMap<>();

    public WebhookAuthenticator(String hmacSecret, String bearerToken, Duration window, int replayCacheSize, Clock clock) {
        this.hmacKey = blankToNull(hmacSecret);
        this.bearerKey = blankToNull(bearerToken);
        this.window = window;
        this.replayCacheSize = replayCacheSize;
        this.clock = clock;
    }

    /** A sender's view: the key only, for {@link #sign} and {@link #signedHeaders} (tests, examples). */
    public static WebhookAuthenticator sender(String hmacSecret) {
        return new WebhookAuthenticator(hmacSecret, null, Duration.ofMinutes(5), 1, Clock.systemUTC());
    }

    public boolean enabled() {
        return hmacKey != null || bearerKey != null;
    }

    public void verify(Exchange exchange) {
        if (!enabled()) {
            throw new WebhookUnauthorizedException("the feedback webhook has no key configured"
                    + " (set graph.webhook.hmac-secret or graph.webhook.bearer-token)");
        }
        String body = exchange.getIn().getBody(String.class);
        exchange.getIn().setBody(body);
        String signature = exchange.getIn().getHeader(SIGNATURE_HEADER, String.class);
        if (hmacKey != null && signature != null && signature.startsWith("sha256=")) {
            verifySignature(signature.substring(7).trim().toLowerCase(),
                    exchange.getIn().getHeader(TIMESTAMP_HEADER, String.class), body == null ? "" : body);
            return;
        }
        String auth = exchange.getIn().getHeader("Authorization", String.class);
        if (bearerKey != null && auth != null && auth.startsWith("Bearer ")) {
            if (MessageDigest.isEqual(bearerKey, auth.substring(7).trim().getBytes(StandardCharsets.UTF_8))) {
                return;
            }
            throw new WebhookUnauthorizedException("the bearer key is not the configured one");
        }
        throw new WebhookUnauthorizedException("the call carries neither a " + SIGNATURE_HEADER + " signature nor a bearer key");
    }

    private void verifySignature(String presented, String timestamp, String body) {
        if (timestamp == null || !timestamp.trim().matches("[0-9]{1,12}")) {
            throw new WebhookUnauthorizedException("a signed call needs " + TIMESTAMP_HEADER
                    + " (epoch seconds, signed as <timestamp>.<body>)");
        }
        long seconds = Long.parseLong(timestamp.trim());
        byte[] expected = HexFormat.of().formatHex(hmac(seconds + "." + body)).getBytes(StandardCharsets.US_ASCII);
        if (!MessageDigest.isEqual(expected, presented.getBytes(StandardCharsets.US_ASCII))) {
            throw new WebhookUnauthorizedException("the " + SIGNATURE_HEADER + " signature does not match "
                    + TIMESTAMP_HEADER + " and the body");
        }
        Instant now = clock.instant();
        Instant signedAt = Instant.ofEpochSecond(seconds);
        if (signedAt.isBefore(now.minus(window)) || signedAt.isAfter(now.plus(window))) {
            throw new WebhookUnauthorizedException("the signed timestamp is " + Duration.between(signedAt, now).abs().toSeconds()
                    + " s away from this server's clock, outside graph.webhook.signature-window ("
                    + window.toSeconds() + " s): a replay, or a clock to set right");
        }
        remember(presented, signedAt.plus(window), now);
    }

    /** Each signature is admitted once while fresh: after the window the timestamp check refuses it anyway. */
    private synchronized void remember(String signature, Instant freshUntil, Instant now) {
        for (Iterator<Instant> it = accepted.values().iterator(); it.hasNext(); ) {
            if (it.next().isBefore(now)) {
                it.remove();
            }
        }
        if (accepted.containsKey(signature)) {
            throw new WebhookUnauthorizedException("this signature was already accepted (a replayed call)");
        }
        if (accepted.size() >= replayCacheSize) {
            // Forgetting a fresh signature would let its call be replayed: refuse until one ages out.
            throw new WebhookThrottledException("more signed calls within graph.webhook.signature-window than"
                    + " graph.webhook.replay-cache-size (" + replayCacheSize + ") remembers", window.toSeconds());
        }
        accepted.put(signature, freshUntil);
    }

    /** The signature a sender puts on a body at a time (epoch seconds): the scheme, for tests and docs. */
    public String sign(long epochSeconds, String body) {
        return "sha256=" + HexFormat.of().formatHex(hmac(epochSeconds + "." + body));
    }

    /** Both headers of a call signed now. */
    public Map<String, String> signedHeaders(String body) {
        long now = clock.instant().getEpochSecond();
        return Map.of(TIMESTAMP_HEADER, String.valueOf(now), SIGNATURE_HEADER, sign(now, body));
    }

    private byte[] hmac(String text) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(hmacKey, "HmacSHA256"));
            return mac.doFinal(text.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.getBytes(StandardCharsets.UTF_8);
    }
}
