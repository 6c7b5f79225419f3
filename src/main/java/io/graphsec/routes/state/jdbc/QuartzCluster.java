package io.graphsec.routes.state.jdbc;

import java.io.IOException;
import java.io.InputStream;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import javax.sql.DataSource;
import org.apache.camel.CamelContext;
import org.apache.camel.component.quartz.QuartzComponent;
import org.apache.camel.support.ResourceHelper;
import org.quartz.utils.ConnectionProvider;
import org.quartz.utils.DBConnectionManager;

/**
 * Quartz's clustered JDBC job store on the state database: every instance of a group runs the same
 * schedules, and Quartz fires each trigger on one of them only; the poll jobs are non-concurrent, so
 * a poll never runs twice at once. When an instance dies, the others notice it missed its check-in
 * (the interval plus Quartz's 7.5 s grace) and its triggers fire elsewhere.
 */
public final class QuartzCluster {


    private QuartzCluster() {
    }

    /**
     * @param baseFile  the single-instance Quartz properties (camel.component.quartz.properties-file)
     * @param scheduler  the cluster's name: instances with the same name share their schedules (a group)
     * @param instanceId this instance's name in the cluster, unique in it; AUTO: Quartz makes one (host and time)
     */
    public static void configure(CamelContext context, DataSource dataSource, String baseFile, String scheduler,
                                 String instanceId, Duration checkinInterval) throws IOException {
        Properties base = new Properties();
        try (InputStream in = ResourceHelper.resolveMandatoryResourceAsInputStream(context, baseFile)) {
            base.load(in);
        }
        // Quartz borrows the routes' HikariCP pool rather than opening its own; its registry of pools is
        // JVM-wide, so the name is the group's (two contexts in one JVM keep their own).
        String dataSourceName = "graphState-" + scheduler;
        Map<String, Object> props = new HashMap<>();
        base.forEach((k, v) -> props.put((String) k, v));
        props.put("org.quartz.scheduler.instanceName", scheduler);
        props.put("org.quartz.scheduler.instanceId", instanceId);
        props.put("org.quartz.jobStore.class", "org.quartz.impl.jdbcjobstore.JobStoreTX");
        props.put("org.quartz.jobStore.driverDelegateClass", "org.quartz.impl.jdbcjobstore.PostgreSQLDelegate");
        props.put("org.quartz.jobStore.dataSource", dataSourceName);
        props.put("org.quartz.jobStore.isClustered", "true");
        props.put("org.quartz.jobStore.clusterCheckinInterval", String.valueOf(checkinInterval.toMillis()));
        props.put("org.quartz.jobStore.acquireTriggersWithinLock", "true");
        DBConnectionManager.getInstance().addConnectionProvider(dataSourceName, new ConnectionProvider() {
            @Override
            public Connection getConnection() throws SQLException {
                return dataSource.getConnection();
            }

            @Override
            public void shutdown() {
                // The pool is StateDatabase's to close.
            }

            @Override
            public void initialize() {
            }
        });
        QuartzComponent quartz = context.getComponent("quartz", QuartzComponent.class);
        // The scheduler name must be the group's on every instance, not prefixed with each context's name.
        quartz.setPrefixInstanceName(false);
        quartz.setProperties(props);
    }
}
