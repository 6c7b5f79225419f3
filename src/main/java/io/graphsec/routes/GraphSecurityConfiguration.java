package io.graphsec.routes;

import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;

/** Named by GraphSecurityApplication: binds our beans before the YAML routes are started. */
public class GraphSecurityConfiguration implements CamelConfiguration {

    @Override
    public void configure(CamelContext context) throws Exception {
        GraphSecurityBeans.bind(context);
    }
}
