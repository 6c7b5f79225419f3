package io.graphsec.routes.auth;

import io.graphsec.routes.config.GraphSettings;
import io.graphsec.routes.graph.CollectionPoller;
import io.graphsec.routes.graph.GraphRateBudget;
import io.graphsec.routes.graph.PollProgress;
import java.util.LinkedHashMap;
import java.util.Map;
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

    private final Map<String, Tenant> byName = new LinkedHashMap<>();

    public GraphTenants(Tenant defaultTenant) {
        byName.put(DEFAULT, defaultTenant);
    }

    public void add(Tenant tenant) {
        byName.put(tenant.name(), tenant);
    }

    public Map<String, Tenant> all() {
        return byName;
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
