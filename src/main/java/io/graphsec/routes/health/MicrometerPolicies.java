package io.graphsec.routes.health;

import org.apache.camel.component.micrometer.routepolicy.MicrometerRoutePolicy;
import org.apache.camel.component.micrometer.routepolicy.MicrometerRoutePolicyConfiguration;
import org.apache.camel.spi.RoutePolicy;

/** Loaded only when a Micrometer route policy exists (see UnmeteredRoutes). */
final class MicrometerPolicies {

    private MicrometerPolicies() {
    }

    static void routeMetersOff(RoutePolicy policy) {
        MicrometerRoutePolicy micrometer = (MicrometerRoutePolicy) policy;
        MicrometerRoutePolicyConfiguration shared = micrometer.getConfiguration();
        MicrometerRoutePolicyConfiguration own = new MicrometerRoutePolicyConfiguration();
        own.setContextEnabled(shared.isContextEnabled());
        own.setRouteEnabled(false);
        own.setExcludePattern(shared.getExcludePattern());
        own.setAdditionalCounters(shared.isAdditionalCounters());
        own.setExchangesSucceeded(shared.isExchangesSucceeded());
        own.setExchangesFailed(shared.isExchangesFailed());
        own.setExchangesTotal(shared.isExchangesTotal());
        own.setExternalRedeliveries(shared.isExternalRedeliveries());
        own.setFailuresHandled(shared.isFailuresHandled());
        own.setLongTask(shared.isLongTask());
        own.setTimerInitiator(shared.getTimerInitiator());
        own.setLongTaskInitiator(shared.getLongTaskInitiator());
        micrometer.setConfiguration(own);
    }
}
