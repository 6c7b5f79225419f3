package io.graphsec.routes.graph;

import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.distributed.BucketProxy;
import io.github.bucket4j.distributed.jdbc.PrimaryKeyMapper;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.github.bucket4j.postgresql.Bucket4jPostgreSQL;
import java.time.Duration;
import javax.sql.DataSource;

/**
 * Request budgets kept in PostgreSQL (graph.state.store=jdbc): one row of graph_request_budget per
 * budget, a Bucket4j token bucket every instance takes its permits from. A permit costs one short
 * transaction that locks the row (SELECT ... FOR UPDATE), refills it for the time passed and reserves
 * the next permit; the caller then sleeps, outside any transaction, until the permit's time comes, so
 * a waiting poll neither holds a connection nor asks the database again.
 *
 * <p>The bucket refills all its permits at once each period, as the in-memory budget does: any
 * minute holds at most {@code requestsPerPeriod × (minute / period + 1)} requests across the
 * instances. Its clock is each instance's own: the instances' clocks must agree (NTP), as Quartz's
 * clustering needs anyway.
 */
public final class SharedRateBudgets implements RateBudgets {

    private final ProxyManager<String> buckets;

    public SharedRateBudgets(DataSource dataSource) {
        this.buckets = Bucket4jPostgreSQL.selectForUpdateBasedBuilder(dataSource)
                .primaryKeyMapper(PrimaryKeyMapper.STRING)
                .table("graph_request_budget")
                .idColumn("budget_key")
                .stateColumn("state")
                .build();
    }

    @Override
    public GraphRateBudget budget(String key, int requestsPerPeriod, Duration period, Duration maxWait) {
        BucketConfiguration limit = BucketConfiguration.builder()
                .addLimit(GraphRateBudget.limit(requestsPerPeriod, period)).build();
        // The row keeps the limit it was made with: a changed graph.rate.* is a new row, not an old limit.
        BucketProxy bucket = buckets.builder().build(key + "@" + requestsPerPeriod + "/" + period, () -> limit);
        return GraphRateBudget.of(bucket, maxWait);
    }
}
