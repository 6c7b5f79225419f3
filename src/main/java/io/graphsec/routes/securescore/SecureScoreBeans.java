package io.graphsec.routes.securescore;

import io.graphsec.routes.state.WatermarkStore;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Function;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.Registry;

/**
 * Binds the daily secure score snapshot's beans (routes/secure-score.camel.yaml) from the
 * graph.secure-score.* properties. They are bound even when the flow is switched off, since the
 * route (not started) still names them; the settings are checked either way.
 */
public final class SecureScoreBeans {

    private SecureScoreBeans() {
    }

    public static void bind(CamelContext context, Function<String, Optional<String>> props) {
        Registry registry = context.getRegistry();
        String baseUrl = props.apply("graph.base-url").orElse("https://graph.microsoft.com");
        String maxDrop = props.apply("graph.secure-score.max-drop").orElse("5");
        double drop;
        try {
            drop = Double.parseDouble(maxDrop);
        } catch (NumberFormatException e) {
            throw new IllegalStateException("graph.secure-score.max-drop=" + maxDrop + " is not a number of points", e);
        }
        registry.bind("graphSecureScoreReader", new SecureScoreReader(baseUrl));
        registry.bind("graphSecureScoreSnapshot", new SecureScoreSnapshot());
        registry.bind("graphSecureScoreRegressions", new SecureScoreRegressions(drop,
                props.apply("graph.secure-score.regression-severity").orElse("medium"),
                props.apply("graph.portal-url").orElse("https://security.microsoft.com")));
        registry.bind("graphSecureScoreLastDay", new SecureScoreLastDay(
                new WatermarkStore(Path.of(props.apply("graph.state.dir").orElse("data/state")))));
    }
}
