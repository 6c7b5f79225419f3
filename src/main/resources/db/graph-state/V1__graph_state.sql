-- The routes' state when graph.state.store=jdbc. scope is the group of instances (graph.cluster.scheduler-name)
-- and the state directory the file stores would use, relative to graph.state.dir: '<group>' for the
-- group's default tenant, '<group>/tenants/<name>' for a further tenant.
CREATE TABLE graph_watermark (
    scope      VARCHAR(200) NOT NULL,
    resource   VARCHAR(200) NOT NULL,
    watermark  TIMESTAMPTZ  NOT NULL,
    PRIMARY KEY (scope, resource)
);

-- The idempotent repository: the last delivered version of each entity, with severity and status.
CREATE TABLE graph_delivered_version (
    scope       VARCHAR(200) NOT NULL,
    resource    VARCHAR(200) NOT NULL,
    entity_key  TEXT         NOT NULL,
    state       TEXT         NOT NULL,
    -- the version when it is a timestamp (lastUpdateDateTime): what is forgotten first
    version_at  TIMESTAMPTZ,
    PRIMARY KEY (scope, resource, entity_key)
);
CREATE INDEX graph_delivered_version_age ON graph_delivered_version (scope, resource, version_at);

CREATE TABLE graph_ticket_correlation (
    scope   VARCHAR(200) NOT NULL,
    unit    TEXT         NOT NULL,
    record  TEXT         NOT NULL,
    PRIMARY KEY (scope, unit)
);
