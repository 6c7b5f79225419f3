package io.graphsec.routes.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Issues and checks the simulator's access tokens: JWTs shaped like Entra app-only tokens (tid,
 * appid, roles, aud, exp), signed with a per-run HMAC key. Also checks the client assertions MSAL
 * sends for certificate credentials.
 */
final class TokenIssuer {

    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getUrlDecoder();

    private final ObjectMapper mapper = new ObjectMapper();
    private volatile byte[] key = new byte[32];
    private final java.util.Queue<String> issued = new java.util.concurrent.ConcurrentLinkedQueue<>();
    private final Clock clock;

    TokenIssuer(Clock clock) {
        this.clock = clock;
        new SecureRandom().nextBytes(key);
    }

    List<String> issued() {
        return List.copyOf(issued);
    }

    /** A new signing key: tokens signed with the old one no longer verify. */
    void rotateKey() {
        byte[] k = new byte[32];
        new SecureRandom().nextBytes(k);
        key = k;
    }

    String issue(String tenant, String appId, Collection<String> roles, String audience, Duration lifetime) {
        long now = clock.instant().getEpochSecond();
        ObjectNode claims = mapper.createObjectNode()
                .put("aud", audience)
                .put("iss", "https://sts.windows.net/" + tenant + "/")
                .put("iat", now).put("nbf", now).put("exp", now + lifetime.toSeconds())
                .put("appid", appId).put("tid", tenant).put("idtyp", "app")
                .put("uti", UUID.randomUUID().toString());
        claims.putArray("roles").addAll(roles.stream().map(claims::textNode).toList());
        String head = B64.encodeToString("{\"typ\":\"JWT\",\"alg\":\"HS256\"}".getBytes(StandardCharsets.UTF_8));
        String body = B64.encodeToString(claims.toString().getBytes(StandardCharsets.UTF_8));
        String token = head + "." + body + "." + B64.encodeToString(hmac(head + "." + body));
        issued.add(token);
        return token;
    }

    /** The token's claims, or an exception whose message is the Graph error text to return with 401. */
    JsonNode verify(String token) {
        String[] parts = token == null ? new String[0] : token.split("\\.");
        if (parts.length != 3) {
            throw new IllegalArgumentException("Invalid JWT token. The token is not in the expected format.");
        }
        byte[] expected = hmac(parts[0] + "." + parts[1]);
        byte[] actual;
        try {
            actual = B64D.decode(parts[2]);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Invalid JWT token. Token signature is not valid.");
        }
        if (!MessageDigest.isEqual(expected, actual)) {
            throw new IllegalArgumentException("Invalid JWT token. Token signature is not valid.");
        }
        JsonNode claims = decode(parts[1]);
        if (claims.path("exp").asLong() <= clock.instant().getEpochSecond()) {
            throw new IllegalArgumentException("Lifetime validation failed, the token is expired.");
        }
        return claims;
    }

    /**
     * Checks a client assertion (RFC 7523) against the client's registered certificate: signature
     * (RS256 or PS256), audience = the token endpoint, issuer = subject = client id, not expired.
     * Returns null when valid, otherwise the AADSTS-style reason.
     */
    String checkAssertion(String assertion, X509Certificate certificate, String clientId, String tokenEndpoint) {
        String[] parts = assertion.split("\\.");
        if (parts.length != 3) {
            return "AADSTS50027: JWT token is invalid or malformed.";
        }
        JsonNode header = decode(parts[0]);
        JsonNode claims = decode(parts[1]);
        try {
            Signature sig;
            switch (header.path("alg").asText()) {
                case "RS256" -> sig = Signature.getInstance("SHA256withRSA");
                case "PS256" -> {
                    sig = Signature.getInstance("RSASSA-PSS");
                    sig.setParameter(new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, 1));
                }
                default -> {
                    return "AADSTS5002730: Invalid JWT header type or algorithm " + header.path("alg").asText();
                }
            }
            sig.initVerify(certificate.getPublicKey());
            sig.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
            if (!sig.verify(B64D.decode(parts[2]))) {
                return "AADSTS700027: Client assertion failed signature validation.";
            }
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return "AADSTS700027: Client assertion failed signature validation.";
        }
        if (!clientId.equals(claims.path("iss").asText()) || !clientId.equals(claims.path("sub").asText())) {
            return "AADSTS700021: Client assertion application identifier doesn't match 'client_id' parameter.";
        }
        if (!audienceMatches(claims.path("aud"), tokenEndpoint)) {
            return "AADSTS700016: Client assertion audience claim does not match the token endpoint.";
        }
        if (claims.path("exp").asLong() <= clock.instant().getEpochSecond()) {
            return "AADSTS700024: Client assertion is not within its valid time range.";
        }
        return null;
    }

    private static boolean audienceMatches(JsonNode aud, String endpoint) {
        List<String> values = aud.isArray() ? mapperList(aud) : List.of(aud.asText());
        return values.stream().anyMatch(a -> a.equalsIgnoreCase(endpoint) || endpoint.startsWith(a));
    }

    private static List<String> mapperList(JsonNode array) {
        return java.util.stream.StreamSupport.stream(array.spliterator(), false).map(JsonNode::asText).toList();
    }

    private JsonNode decode(String part) {
        try {
            return mapper.readTree(B64D.decode(part));
        } catch (Exception e) {
            throw new IllegalArgumentException("Invalid JWT token. The token is not in the expected format.");
        }
    }

    private byte[] hmac(String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
