package io.graphsec.routes;

import io.graphsec.routes.auth.GraphPermissionsCheck;
import io.graphsec.routes.auth.GraphTenants;
import io.graphsec.routes.auth.GraphTokenProvider;
import io.graphsec.routes.auth.RenewTokenOnUnauthorized;
import io.graphsec.routes.auth.SecurityApiCheck;
import io.graphsec.routes.auth.TrustMaterial;
import io.graphsec.routes.config.ContextResources;
import io.graphsec.routes.config.GraphSettings;
import io.graphsec.routes.config.Props;
import io.graphsec.routes.graph.GraphRateBudget;
import io.graphsec.routes.graph.GraphRequestGuard;
import io.graphsec.routes.graph.RateBudgets;
import io.graphsec.routes.graph.TenantPauses;
import java.util.LinkedHashSet;
import java.util.Set;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.Registry;

/**
 * How every Graph call is made: the default tenant's settings, token and TLS trust, the tenants
 * (further ones are added by {@link TenantsBinder}), the shared request budget, the check of each
 * request's URL, and the renewal of a token Graph refused (401). Follows the state's binding, whose
 * budget maker keeps each budget in this JVM or in the shared database; a configuration missing a
 * credential stops here, naming every missing key.
 */
final class GraphAccessBinder {

    private GraphAccessBinder() {
    }

    static void bind(CamelContext context, Props props) {
        Registry registry = context.getRegistry();
        GraphSettings settings = GraphSettings.from(props);
        // Routes say {{graph.base-url}}; make it the value the settings derived from graph.cloud.
        context.getPropertiesComponent().addOverrideProperty("graph.base-url", settings.graphBaseUrl());

        TrustMaterial trust = new TrustMaterial(settings.trustStore().orElse(null), settings.trustStorePassword());
        GraphTokenProvider tokens = new GraphTokenProvider(settings, trust);
        registry.bind("graphSslContext", trust.camelParameters());
        registry.bind("graphTokenProvider", tokens);
        ContextResources.whileRoutesInitialise(context, tokens::prefetch);

        GraphPermissionsCheck permissions = new GraphPermissionsCheck(tokens, switchedOff(props));
        registry.bind("graphPermissionsCheck", permissions);
        registry.bind("graphSecurityApiCheck", new SecurityApiCheck());
        GraphRateBudget budget = budget(context, props, settings);
        registry.bind("graphRateBudget", budget);
        GraphTenants tenants = new GraphTenants(new GraphTenants.Tenant(GraphTenants.DEFAULT, settings, tokens, budget),
                new TenantPauses(java.time.Clock.systemUTC(), props.duration("graph.poll.failure-backoff"),
                        props.duration("graph.poll.max-failure-backoff")));
        registry.bind("graphTenants", tenants);
        registry.bind("graphRequestGuard", new GraphRequestGuard(tenants::graphBaseUrls));
        registry.bind("graphRenewToken", new RenewTokenOnUnauthorized(tenants));
    }

    /**
     * A tenant's share of Graph's request rate (graph.rate.*, per tenant under graph.tenant.<name>.rate.*),
     * named for what Graph counts it by: the tenant and the app.
     */
    static GraphRateBudget budget(CamelContext context, Props props, GraphSettings settings) {
        return RateBudgets.of(context).budget(settings.tenantId() + "/" + settings.clientId(),
                props.integer("graph.rate.requests-per-period"), props.duration("graph.rate.period"),
                props.duration("graph.rate.max-wait"));
    }

    /** The flows switched off, whose Graph permissions the permissions check does not ask for. */
    private static Set<String> switchedOff(Props props) {
        Set<String> off = new LinkedHashSet<>();
        if (!props.flag("graph.incidents.enabled")) {
            off.add("polling incidents");
        }
        if (!props.flag("graph.legacy-alerts.enabled")) {
            off.add("polling legacy_alerts");
        }
        if (!props.flag("graph.secure-score.enabled")) {
            off.add("snapshot of secure score");
        }
        if (!props.flag("graph.hunting.enabled")) {
            off.add("scheduled hunting");
        }
        return off;
    }
}
