package io.graphsec.routes.state;

import java.time.Instant;
import java.util.Collection;
import java.util.Map;

/**
 * The idempotent repository of a polled resource: the last delivered version of each entity, with
 * severity and status. A file log by default ({@link AlertVersionStore}), or PostgreSQL when several
 * instances share the state. {@link #remember} is called only after the broker committed.
 */
public interface DeliveredVersions extends AutoCloseable {

    /** True if this version of the entity has not been delivered yet. */
    boolean isNew(String key, String version);

    /** The version delivered last, or null. */
    String lastVersion(String key);

    /** The entity as delivered last, or null if never delivered or forgotten. */
    EntityState lastState(String key);

    /**
     * Reads the states of a page's entities at once, for the lookups of that page that follow. A store
     * kept in memory needs nothing; one in a database saves a round trip per entity.
     */
    default void prefetch(Collection<String> keys) {
    }

    /** Records delivered versions, each value a version or an {@link EntityState#format()}. */
    void remember(Collection<Map.Entry<String, String>> delivered);

    /** Forgets entities last updated before {@code horizon}. */
    void forgetOlderThan(Instant horizon);

    int size();

    @Override
    void close() throws java.io.IOException;
}
