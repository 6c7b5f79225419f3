package io.graphsec.routes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.graphsec.routes.support.SimulatedTenant;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The way an existing Camel application embeds the flows: no Camel Main, its own context and
 * route, our beans bound by GraphSecurityBeans and our YAML loaded by Camel's routes loader.
 */
class EmbeddedInPlainCamelContextTest {

    @TempDir
    Path dir;

    @Test
    void the_routes_and_beans_deliver_alerts_inside_a_host_context() throws Exception {
        try (SimulatedTenant tenant = new SimulatedTenant(dir); DefaultCamelContext host = new DefaultCamelContext()) {
            long highs = tenant.addAlerts(20).stream().filter(a -> "high".equals(a.get("severity").asText())).count();

            host.getPropertiesComponent().setLocation("file:application.properties");
            tenant.appProperties().forEach(host.getPropertiesComponent()::addOverrideProperty);
            host.getPropertiesComponent().addOverrideProperty("graph.state.dir", dir.resolve("state").toString());
            host.getPropertiesComponent().addOverrideProperty("graph.broker.embedded.data-dir", dir.resolve("broker").toString());
            host.getPropertiesComponent().addOverrideProperty("graph.broker.embedded.port",
                    String.valueOf(io.graphsec.routes.support.RunningApp.freePort()));
            host.getPropertiesComponent().addOverrideProperty("graph.alerts.poll.cron", "0/1 * * * * ?");
            host.getPropertiesComponent().addOverrideProperty("graph.alerts.destination.high", "mock:host-high-alerts");
            host.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:host-own-route").routeId("host-own-route").to("mock:host-own");
                }
            });

            GraphSecurityBeans.bind(host);
            PluginHelper.getRoutesLoader(host).loadRoutes(
                    PluginHelper.getPackageScanResourceResolver(host).findResources("file:routes/*.camel.yaml"));
            host.start();

            MockEndpoint highAlerts = host.getEndpoint("mock:host-high-alerts", MockEndpoint.class);
            await().atMost(Duration.ofSeconds(20)).until(() -> highAlerts.getReceivedCounter() == highs);
            assertThat(highAlerts.getExchanges()).allSatisfy(e ->
                    assertThat(e.getMessage().getBody(String.class)).contains("\"severity\":\"high\""));

            MockEndpoint own = host.getEndpoint("mock:host-own", MockEndpoint.class);
            host.createProducerTemplate().sendBody("direct:host-own-route", "still mine");
            assertThat(own.getReceivedCounter()).isEqualTo(1);
            assertThat(host.getRoute("host-own-route").getConfigurationId()).isNull();
        }
    }
}
