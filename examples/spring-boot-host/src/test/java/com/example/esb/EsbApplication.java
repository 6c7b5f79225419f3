package com.example.esb;

import io.graphsec.routes.GraphSecurityBeans;
import jakarta.jms.ConnectionFactory;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.messaginghub.pooled.jms.JmsPoolConnectionFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

/**
 * An ESB of someone else's: its own broker connection, its own routes, and our flows bound into its
 * CamelContext before the routes start (the YAML comes from camel.main.routes-include-pattern).
 */
@SpringBootApplication
public class EsbApplication {

    /** The host's pooled connection factory; Camel's jms component picks the only one there is. */
    @Bean(destroyMethod = "stop")
    ConnectionFactory esbConnectionFactory(@Value("${esb.broker-url}") String brokerUrl) {
        JmsPoolConnectionFactory pool = new JmsPoolConnectionFactory();
        pool.setConnectionFactory(new ActiveMQConnectionFactory(brokerUrl));
        return pool;
    }

    @Bean
    CamelContextConfiguration graphSecurity() {
        return new CamelContextConfiguration() {
            @Override
            public void beforeApplicationStart(CamelContext context) {
                try {
                    GraphSecurityBeans.addDefaults(context);
                    GraphSecurityBeans.bind(context);
                } catch (Exception e) {
                    throw new IllegalStateException("graph-security-routes could not bind its beans", e);
                }
            }

            @Override
            public void afterApplicationStart(CamelContext context) {
            }
        };
    }

    /** The ESB's own routes: one its YAML calls between our alerts source and our router, one on its own queue. */
    @Bean
    RouteBuilder esbRoutes() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:esb-before-routing").routeId("esb-before-routing")
                        .setHeader("esbSeen", constant("yes"));
                from("jms:queue:esb.alerts.high").routeId("esb-high-alerts").to("mock:esb-high");
            }
        };
    }
}
