-- Each tenant's Graph request budget shared by the instances (graph/SharedRateBudgets): one Bucket4j
-- token bucket per tenant and app, its state serialised by Bucket4j. budget_key is
-- '<tenant id>/<client id>@<requests per period>/<period>' (hunting's own budget starts 'hunting:').
CREATE TABLE graph_request_budget (
    budget_key VARCHAR(400) PRIMARY KEY,
    state      BYTEA
);
