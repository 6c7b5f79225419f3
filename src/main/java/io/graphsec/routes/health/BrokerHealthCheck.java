package io.graphsec.routes.health;

import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import java.util.Map;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/** Readiness of the JMS broker the routes deliver to: DOWN with the broker's own error when it cannot be reached. */
public final class BrokerHealthCheck extends AbstractHealthCheck {

    private final ConnectionFactory connectionFactory;

    public BrokerHealthCheck(ConnectionFactory connectionFactory) {
        super("graph", "graph-broker");
        this.connectionFactory = connectionFactory;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        try (Connection c = connectionFactory.createConnection()) {
            c.getMetaData();
            builder.up();
        } catch (Exception e) {
            builder.down().message("the JMS broker cannot be reached: " + e.getMessage());
        }
    }
}
