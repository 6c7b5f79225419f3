package io.graphsec.routes.simulator;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;

/**
 * One Graph collection held by the simulator (alerts_v2 of a tenant): entities by id, listed
 * newest created first as Graph lists alerts. Every change stamps lastUpdateDateTime.
 */
public final class EntityStore {

    private final Map<String, ObjectNode> byId = new LinkedHashMap<>();
    private final ReadWriteLock lock = new ReentrantReadWriteLock();
    private long version;
    private String cachedFilter;
    private long cachedVersion = -1;
    private List<ObjectNode> cachedResult;

    /** Adds or replaces an entity as given (its timestamps are the caller's). */
    public void put(ObjectNode entity) {
        lock.writeLock().lock();
        try {
            byId.put(entity.get("id").asText(), entity);
            version++;
        } finally {
            lock.writeLock().unlock();
        }
    }

    public void putAll(List<ObjectNode> entities) {
        lock.writeLock().lock();
        try {
            entities.forEach(e -> byId.put(e.get("id").asText(), e));
            version++;
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Applies a change and stamps lastUpdateDateTime with a fresh, unique time; returns a copy of the result. */
    public Optional<ObjectNode> update(String id, Consumer<ObjectNode> change) {
        return update(id, "lastUpdateDateTime", change);
    }

    /** Applies a change and stamps the collection's modification property (legacy alerts: lastModifiedDateTime). */
    public Optional<ObjectNode> update(String id, String stampField, Consumer<ObjectNode> change) {
        lock.writeLock().lock();
        try {
            ObjectNode e = byId.get(id);
            if (e == null) {
                return Optional.empty();
            }
            change.accept(e);
            e.put(stampField, GraphTime.format(GraphTime.uniqueNow()));
            version++;
            return Optional.of(e.deepCopy());
        } finally {
            lock.writeLock().unlock();
        }
    }

    public Optional<ObjectNode> get(String id) {
        lock.readLock().lock();
        try {
            return Optional.ofNullable(byId.get(id)).map(ObjectNode::deepCopy);
        } finally {
            lock.readLock().unlock();
        }
    }

    public int size() {
        lock.readLock().lock();
        try {
            return byId.size();
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Copies of every entity, newest created first. */
    public List<ObjectNode> snapshot() {
        lock.readLock().lock();
        try {
            List<ObjectNode> all = new ArrayList<>(byId.size());
            byId.values().forEach(e -> all.add(e.deepCopy()));
            all.sort(NEWEST_FIRST);
            return all;
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * The entities matching a filter, newest created first, with the page between skip and
     * skip+top rendered by {@code render} while the store cannot change underneath.
     */
    <T> T query(String filterText, ODataFilter filter, PageRenderer<T> render) {
        lock.readLock().lock();
        try {
            List<ObjectNode> matches;
            synchronized (this) {
                // Paging re-sends the same $filter with a growing $skip; filtering once per store version keeps
                // deep paging through a large backlog linear instead of quadratic.
                if (filterText.equals(cachedFilter) && cachedVersion == version) {
                    matches = cachedResult;
                } else {
                    matches = new ArrayList<>();
                    for (ObjectNode e : byId.values()) {
                        if (filter.matches(e)) {
                            matches.add(e);
                        }
                    }
                    matches.sort(NEWEST_FIRST);
                    matches = Collections.unmodifiableList(matches);
                    cachedFilter = filterText;
                    cachedVersion = version;
                    cachedResult = matches;
                }
            }
            return render.render(matches);
        } finally {
            lock.readLock().unlock();
        }
    }

    interface PageRenderer<T> {
        T render(List<ObjectNode> matches);
    }

    // ISO-8601 strings in one format sort like the instants they name; ties broken by id for a stable order.
    private static final java.util.Comparator<ObjectNode> NEWEST_FIRST = (a, b) -> {
        int c = b.path("createdDateTime").asText("").compareTo(a.path("createdDateTime").asText(""));
        return c != 0 ? c : a.path("id").asText("").compareTo(b.path("id").asText(""));
    };
}
