-- When each poll last completed on any instance of a group, so that the instances that do not run
-- a poll (clustered Quartz runs it on one) keep reporting it ready (health/PollHealthCheck).
CREATE TABLE graph_poll_completion (
    scope        VARCHAR(200) NOT NULL,
    check_name   VARCHAR(200) NOT NULL,
    completed_at TIMESTAMPTZ  NOT NULL,
    PRIMARY KEY (scope, check_name)
);
