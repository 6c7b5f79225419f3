package io.graphsec.routes.auth;

import io.graphsec.routes.config.GraphSettings;
import io.graphsec.routes.graph.CollectionPoller;
import io.graphsec.routes.graph.GraphRateBudget;
import io.graphsec.routes.graph.PollProgress;
import io.graphsec.routes.graph.TenantPauses;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.camel.Exchange;

/**
 * The tenants one deployment serves (an MSSP's case): each with its own settings (credentials,
 * cloud), token provider and request budget. A Graph call takes the token and the budget of the
 * tenant its exchange belongs to: the tenant of the poll in progress, or the message's
 * {@code graphTenant} header, or else the default tenant (the plain {@code graph.*} keys).
 */
public final class GraphTenants {

    public static final String DEFAULT = "default";

    /** One tenant: its name in the configuration, its settings, its token provider and budget. */
    public record Tenant(String name, GraphSettings settings, GraphTokenProvider tokens, GraphRateBudget budget) {
    }

    /** Replaced, never changed, when a tenant is added or removed: polls read it on other threads meanwhile. */
    private volatile Map<String, Tenant> byName;
    /** The distinct Graph base URLs of {@link #byName}, replaced with it: every Graph request is checked against them. */
    private volatile java.util.List<String> graphBaseUrls;
    private final TenantPauses pauses;

    public GraphTenants(Tenant defaultTenant, TenantPauses pauses) {
        Map<String, Tenant> initial = new LinkedHashMap<>();
        initial.put(DEFAULT, defaultTenant);
        serve(initial);
        this.pauses = pauses;
    }

    /** The tenants whose polls wait for Graph's throttling to end. */
    public TenantPauses pauses() {
        return pauses;
    }

    public synchronized void add(Tenant tenant) {
        Map<String, Tenant> next = new LinkedHashMap<>(byName);
        next.put(tenant.name(), tenant);
        serve(next);
    }

    /** A further tenant no longer served: its calls from now on are refused as a tenant unknown. */
    public synchronized void remove(String name) {
        if (DEFAULT.equals(name)) {
            throw new IllegalArgumentException("the default tenant cannot be removed");
        }
        Map<String, Tenant> next = new LinkedHashMap<>(byName);
        next.remove(name);
        serve(next);
    }

    private void serve(Map<String, Tenant> tenants) {
        graphBaseUrls = tenants.values().stream().map(t -> t.settings().graphBaseUrl()).distinct().toList();
        byName = java.util.Collections.unmodifiableMap(tenants);
    }

    public Map<String, Tenant> all() {
        return byName;
    }

    /** The names of the tenants this deployment serves, the default one first. */
    public java.util.List<String> names() {
        return java.util.List.copyOf(byName.keySet());
    }

    /** The Graph base URL of every tenant (their clouds' hosts), for the check of each Graph request's URL. */
    public java.util.List<String> graphBaseUrls() {
        return graphBaseUrls;
    }

    public String baseUrl(String name) {
        return require(name, "tenant").settings().graphBaseUrl();
    }

    /** The tenant of that name; empty for a name this deployment does not serve. */
    public Optional<Tenant> named(String name) {
        return Optional.ofNullable(name == null ? null : byName.get(name));
    }

    /**
     * The tenant a message names (a {@code graphTenant} header, a feedback's {@code tenant}); absent
     * or empty means the default tenant. An unknown name is refused, naming it: the message must not
     * reach another tenant's Graph.
     */
    public Tenant require(String name, String what) {
        if (name == null || name.isEmpty()) {
            return byName.get(DEFAULT);
        }
        return named(name).orElseThrow(() -> new IllegalArgumentException(what + " "
                + io.graphsec.routes.graph.GraphIds.quote(name)
                + " is not a tenant of this deployment; known: " + String.join(", ", byName.keySet())));
    }

    /** The bearer header of the exchange's tenant. */
    public String authorizationHeader(Exchange exchange) {
        return of(exchange).tokens().authorizationHeader();
    }

    /** Waits for a permit of the exchange's tenant's budget. */
    public void acquire(Exchange exchange) {
        of(exchange).budget().acquire();
    }

    /** The tenant an exchange belongs to. */
    public Tenant of(Exchange exchange) {
        PollProgress poll = exchange.getProperty(CollectionPoller.PROGRESS, PollProgress.class);
        String name = poll != null ? poll.getTenant() : exchange.getProperty("graphTenant", String.class);
        if (name == null || name.isEmpty()) {
            name = exchange.getIn().getHeader("graphTenant", String.class);
        }
        Tenant t = name == null ? null : byName.get(name);
        return t != null ? t : byName.get(DEFAULT);
    }
}
