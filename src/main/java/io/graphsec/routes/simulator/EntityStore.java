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
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

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
    private volatile IncidentBook incidentBook;

    /**
     * Every alert this store takes from now on also joins its incident in {@code book}. Called
     * while the store holds its write lock, so lock order is always alerts before incidents.
     */
    void groupInto(IncidentBook book) {
        this.incidentBook = book;
    }

    /** The book grouping this store's alerts into incidents, or null for a store outside a simulator tenant. */
    IncidentBook incidentBook() {
        return incidentBook;
    }

    private void stored(ObjectNode entity) {
        IncidentBook book = incidentBook;
        if (book != null) {
            book.alertStored(entity);
        }
    }

    /** Adds or replaces an entity as given (its timestamps are the caller's). */
    public void put(ObjectNode entity) {
        lock.writeLock().lock();
        try {
            byId.put(entity.get("id").asText(), entity);
            version++;
            stored(entity);
        } finally {
            lock.writeLock().unlock();
        }
    }

    public void putAll(List<ObjectNode> entities) {
        lock.writeLock().lock();
        try {
            entities.forEach(e -> {
                byId.put(e.get("id").asText(), e);
                stored(e);
            });
            version++;
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Replaces every entity at once (a day passing in the secure score history). */
    void replaceAll(List<ObjectNode> entities) {
        lock.writeLock().lock();
        try {
            byId.clear();
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
            stored(e);
            return Optional.of(e.deepCopy());
        } finally {
            lock.writeLock().unlock();
        }
    }

    /**
     * Creates, changes or keeps the entity with this id as {@code change} decides: it gets the
     * stored entity (null if none) and returns what to store. No stamp: the caller sets the times.
     */
    void compute(String id, UnaryOperator<ObjectNode> change) {
        lock.writeLock().lock();
        try {
            ObjectNode next = change.apply(byId.get(id));
            if (next != null) {
                byId.put(id, next);
                version++;
                stored(next);
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Reads the stored entity (null if none) without copying it; {@code read} must not keep or change it. */
    <T> T peek(String id, Function<ObjectNode, T> read) {
        lock.readLock().lock();
        try {
            return read.apply(byId.get(id));
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Runs {@code work} while no one can change this store (reads in it may nest). */
    <T> T read(Supplier<T> work) {
        lock.readLock().lock();
        try {
            return work.get();
        } finally {
            lock.readLock().unlock();
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
    static final java.util.Comparator<ObjectNode> NEWEST_FIRST = (a, b) -> {
        int c = b.path("createdDateTime").asText("").compareTo(a.path("createdDateTime").asText(""));
        return c != 0 ? c : a.path("id").asText("").compareTo(b.path("id").asText(""));
    };
}
