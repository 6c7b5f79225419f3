package io.graphsec.routes.ticketing;

/** How a ticket names the Graph incident or alert it is for, so that it can be found again. */
final class CorrelationKeys {

    private CorrelationKeys() {
    }

    /**
     * ServiceNow's correlation_id: graph:{tenant}:{incidentId}, or graph:{tenant}:alert:{alertId}, or
     * graph:{tenant}:{graphApi}:{graphAlertId} for an alert-like event; for a tenant of the
     * deployment other than the default one, its name comes after the Entra tenant id
     * (graph:{tenant}:{name}:{incidentId}), which the ticket webhook reads the tenant back from.
     */
    static String correlationKey(TicketMessage msg, String unit) {
        String own = unit.substring(msg.scope().length());
        return "graph:" + msg.tenant() + ":" + msg.scope() + (own.startsWith("incident:") ? own.substring(9) : own);
    }

    /** Jira's label: graph-incident-{id} or graph-alert-{id} (labels take no spaces). */
    static String correlationLabel(String unit) {
        return "graph-" + unit.replace(':', '-');
    }
}
