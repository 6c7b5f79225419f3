package io.graphsec.routes.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What every Graph API call passes before a resource answers it: it is counted, a scripted fault
 * (error, corrupt body, delay, dropped connection) is played, the bearer token is checked, then
 * the sliding-window limits and the token's roles.
 */
final class GraphGate {

    private final GraphResponses out;
    private final TokenIssuer tokens;
    private final Map<String, Deque<Long>> requestTimes = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<ScriptedFault> faults = new ConcurrentLinkedQueue<>();
    private final AtomicInteger graphRequests = new AtomicInteger();
    private final Map<String, AtomicInteger> requestsByToken = new ConcurrentHashMap<>();
    private final Queue<Long> graphRequestTimes = new ConcurrentLinkedQueue<>();
    private final Map<String, AtomicInteger> requestsByMethod = new ConcurrentHashMap<>();
    private final Map<String, Queue<Long>> callsByTenant = new ConcurrentHashMap<>();
    private final Map<String, Map.Entry<Long, String>> tenantThrottles = new ConcurrentHashMap<>();
    private final Map<String, Map.Entry<Long, Long>> tenantDelays = new ConcurrentHashMap<>();
    volatile int requestsPerMinute = 150;

    GraphGate(GraphResponses out, TokenIssuer tokens) {
        this.out = out;
        this.tokens = tokens;
    }

    // ---- scripted faults ----------------------------------------------------------------------

    /** Status -1 delays by the header delay-ms, -2 drops the connection mid-body; a rawBody is sent as is. */
    void script(String method, int status, Map<String, String> headers, String errorCode, String rawBody,
                String queryHas) {
        faults.add(new ScriptedFault(method, status, headers, errorCode, rawBody, queryHas));
    }

    private record ScriptedFault(String method, int status, Map<String, String> headers, String errorCode, String rawBody,
                                 String queryHas) {
    }

    private ScriptedFault nextFault(String method, String query) {
        for (ScriptedFault f : faults) {
            if ((f.method == null || f.method.equals(method))
                    && (f.queryHas == null || (query != null && query.contains(f.queryHas))) && faults.remove(f)) {
                return f;
            }
        }
        return null;
    }

    // ---- the gate -----------------------------------------------------------------------------

    /**
     * Counts the call, plays a scripted fault, checks the bearer token and the per-minute limit;
     * the token's claims, or null after answering.
     */
    JsonNode authenticated(HttpExchange http, String subPath) throws IOException {
        graphRequests.incrementAndGet();
        graphRequestTimes.add(System.currentTimeMillis());
        requestsByMethod.computeIfAbsent(http.getRequestMethod() + (subPath == null ? "" : " " + subPath.substring(1)),
                k -> new AtomicInteger()).incrementAndGet();
        ScriptedFault fault = nextFault(http.getRequestMethod(), http.getRequestURI().getQuery());
        if (fault != null && fault.status == -1) {
            try {
                Thread.sleep(Long.parseLong(fault.headers.get("delay-ms")));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            fault = null;
        }
        if (fault != null && fault.status == -2) {
            http.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
            http.sendResponseHeaders(200, 4096);
            http.getResponseBody().write("{\"value\":[{\"id\":".getBytes(StandardCharsets.UTF_8));
            http.getResponseBody().flush();
            // Closing short of the promised length: the client sees the connection end mid-body.
            http.close();
            return null;
        }
        if (fault != null) {
            if (fault.rawBody != null) {
                GraphResponses.send(http, fault.status, fault.headers, fault.rawBody.getBytes(StandardCharsets.UTF_8));
            } else {
                out.graphError(http, fault.status, fault.errorCode, "Scripted fault from the simulator.", fault.headers);
            }
            return null;
        }
        String auth = http.getRequestHeaders().getFirst("Authorization");
        if (auth == null || !auth.startsWith("Bearer ")) {
            out.graphError(http, 401, "InvalidAuthenticationToken", "Access token is empty.");
            return null;
        }
        JsonNode claims;
        try {
            claims = tokens.verify(auth.substring(7));
        } catch (IllegalArgumentException e) {
            out.graphError(http, 401, "InvalidAuthenticationToken", e.getMessage());
            return null;
        }
        requestsByToken.computeIfAbsent(auth.substring(7), k -> new AtomicInteger()).incrementAndGet();
        String tid = claims.path("tid").asText();
        callsByTenant.computeIfAbsent(tid, k -> new ConcurrentLinkedQueue<>()).add(System.currentTimeMillis());
        Map.Entry<Long, Long> delay = tenantDelays.get(tid);
        if (delay != null && System.currentTimeMillis() < delay.getKey()) {
            try {
                Thread.sleep(delay.getValue());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        Map.Entry<Long, String> throttle = tenantThrottles.get(tid);
        if (throttle != null && System.currentTimeMillis() < throttle.getKey()) {
            out.graphError(http, 429, "TooManyRequests", "Please retry again later.", Map.of("Retry-After", throttle.getValue()));
            return null;
        }
        String key = claims.path("tid").asText() + "/" + claims.path("appid").asText();
        return throttled(http, key, requestsPerMinute, "Please retry again later.") ? null : claims;
    }

    /** Whether the token carries one of {@code needed}; answers 403 as Graph does when not. */
    boolean hasRole(HttpExchange http, JsonNode claims, Set<String> needed) throws IOException {
        Set<String> roles = new java.util.HashSet<>();
        claims.path("roles").forEach(r -> roles.add(r.asText()));
        if (roles.stream().noneMatch(needed::contains)) {
            out.graphError(http, 403, "Forbidden", "Missing role permissions on the request. API requires one of '"
                    + String.join(", ", new java.util.TreeSet<>(needed)) + "'. Roles on the request '"
                    + String.join(", ", roles) + "'.");
            return false;
        }
        return true;
    }

    /** A sliding one-minute window per tenant and app, as Graph documents for /security. */
    boolean throttled(HttpExchange http, String key, int limit, String message) throws IOException {
        return throttled(http, key, limit, 60_000, message);
    }

    boolean throttled(HttpExchange http, String key, int limit, long windowMillis, String message)
            throws IOException {
        if (limit <= 0) {
            return false;
        }
        long now = System.currentTimeMillis();
        Deque<Long> times = requestTimes.computeIfAbsent(key, k -> new ArrayDeque<>());
        long waitMillis;
        synchronized (times) {
            while (!times.isEmpty() && times.peekFirst() <= now - windowMillis) {
                times.pollFirst();
            }
            if (times.size() < limit) {
                times.addLast(now);
                return false;
            }
            waitMillis = times.peekFirst() + windowMillis - now;
        }
        String retryAfter = String.format(java.util.Locale.ROOT, "%.3f", Math.max(waitMillis, 1) / 1000.0);
        out.graphError(http, 429, "TooManyRequests", message, Map.of("Retry-After", retryAfter));
        return true;
    }

    /** Until {@code untilMillis}, every call of the tenant answers 429 with this Retry-After. */
    void throttleTenant(String tenantId, String retryAfter, long untilMillis) {
        tenantThrottles.put(tenantId, Map.entry(untilMillis, retryAfter));
    }

    /** Until {@code untilMillis}, every call of the tenant is answered only after {@code delayMillis}. */
    void slowTenant(String tenantId, long delayMillis, long untilMillis) {
        tenantDelays.put(tenantId, Map.entry(untilMillis, delayMillis));
    }

    // ---- what was seen ------------------------------------------------------------------------

    /** When (epoch millis) each call with a valid token of this tenant arrived. */
    List<Long> callsOfTenant(String tenantId) {
        Queue<Long> calls = callsByTenant.get(tenantId);
        return calls == null ? List.of() : List.copyOf(calls);
    }

    int graphRequests() {
        return graphRequests.get();
    }

    int graphRequests(String method) {
        AtomicInteger n = requestsByMethod.get(method);
        return n == null ? 0 : n.get();
    }

    int requestsWithToken(int index) {
        List<String> issued = tokens.issued();
        AtomicInteger n = index < issued.size() ? requestsByToken.get(issued.get(index)) : null;
        return n == null ? 0 : n.get();
    }

    int maxRequestsWithin(Duration window) {
        List<Long> times = new ArrayList<>(graphRequestTimes);
        java.util.Collections.sort(times);
        int max = 0;
        for (int i = 0, j = 0; i < times.size(); i++) {
            while (times.get(i) - times.get(j) >= window.toMillis()) {
                j++;
            }
            max = Math.max(max, i - j + 1);
        }
        return max;
    }
}
