package io.graphsec.routes.support;

import io.graphsec.routes.GraphSecurityBeans;
import java.util.List;
import java.util.Map;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.apache.camel.Route;
import org.apache.camel.component.jms.JmsComponent;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.PluginHelper;

/**
 * A host that left artemis-server out of its dependencies: run in a class loader without it
 * (EmbeddedInPlainCamelContextTest), or without the simulator the plain jar leaves out
 * (HostWithoutSimulatorTest), it binds our beans, loads our routes and its own template
 * instances and starts, with its own connection factory (to a broker that need not be up).
 */
public final class HostWithoutArtemisServer {

    private HostWithoutArtemisServer() {
    }

    /** Answers the ids of the routes that started. */
    public static List<String> embed(Map<String, String> properties, String brokerUrl) throws Exception {
        try (DefaultCamelContext host = new DefaultCamelContext()) {
            host.addComponent("jms", JmsComponent.jmsComponent(new ActiveMQConnectionFactory(brokerUrl)));
            GraphSecurityBeans.addDefaults(host);
            properties.forEach(host.getPropertiesComponent()::addOverrideProperty);
            GraphSecurityBeans.bind(host);
            PluginHelper.getRoutesLoader(host).loadRoutes(PluginHelper.getPackageScanResourceResolver(host)
                    .findResources("classpath:graph-security/routes/*.camel.yaml"));
            PluginHelper.getRoutesLoader(host).loadRoutes(PluginHelper.getPackageScanResourceResolver(host)
                    .findResources("classpath:host/*.camel.yaml"));
            host.start();
            return host.getRoutes().stream().filter(r -> host.getRouteController().getRouteStatus(r.getRouteId()).isStarted())
                    .map(Route::getRouteId).toList();
        }
    }
}
