package io.graphsec.routes.feedback;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.camel.Exchange;

/**
 * Admits a ticketing webhook call only with proof of the shared key: an HMAC-SHA256 of the raw body
 * in {@code X-Graph-Signature: sha256=<hex>}, or {@code Authorization: Bearer <key>} where the
 * ticketing system can only send a static header. Comparisons are constant-time; the key and the
 * presented values are never logged or echoed.
 */
public final class WebhookAuthenticator {

    public static final String SIGNATURE_HEADER = "X-Graph-Signature";

    private final byte[] hmacKey;
    private final byte[] bearerKey;

    public WebhookAuthenticator(String hmacSecret, String bearerToken) {
        this.hmacKey = blankToNull(hmacSecret);
        this.bearerKey = blankToNull(bearerToken);
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
            byte[] expected = HexFormat.of().formatHex(hmac(body == null ? "" : body)).getBytes(StandardCharsets.US_ASCII);
            byte[] presented = signature.substring(7).trim().toLowerCase().getBytes(StandardCharsets.US_ASCII);
            if (MessageDigest.isEqual(expected, presented)) {
                return;
            }
            throw new WebhookUnauthorizedException("the " + SIGNATURE_HEADER + " signature does not match the body");
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

    /** The signature a sender puts on a body (for tests and for documenting the scheme). */
    public String sign(String body) {
        return "sha256=" + HexFormat.of().formatHex(hmac(body));
    }

    private byte[] hmac(String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(hmacKey, "HmacSHA256"));
            return mac.doFinal(body.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.getBytes(StandardCharsets.UTF_8);
    }
}
