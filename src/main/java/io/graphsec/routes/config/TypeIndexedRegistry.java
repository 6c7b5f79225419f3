package io.graphsec.routes.config;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.apache.camel.CamelContext;
import org.apache.camel.support.DefaultRegistry;
import org.apache.camel.support.SimpleRegistry;

/**
 * The context's own beans, answering "every bean of this type" from the names found the last time
 * instead of a walk over every bean. Camel asks that for each error handler it makes (one per step of
 * a route, for an {@code ExceptionPolicyStrategy}), and each tenant adds beans and a poll route, so the
 * walks grew with the square of the tenants: a third of a 500-tenant start (docs/performance.md).
 * Any change to the beans drops what was found, so every answer is the walk's.
 */
public final class TypeIndexedRegistry extends SimpleRegistry {

    private final Map<Class<?>, List<String>> namesByType = new ConcurrentHashMap<>();

    /**
     * Puts the index in place of the plain bean map under the context's registry (Camel Main's and
     * Camel's default), keeping every bean bound so far; any other registry is left as it is.
     */
    public static void install(CamelContext context) {
        if (context.getRegistry() instanceof DefaultRegistry registry
                && registry.getFallbackRegistry() instanceof SimpleRegistry beans
                && !(beans instanceof TypeIndexedRegistry)) {
            TypeIndexedRegistry indexed = new TypeIndexedRegistry();
            indexed.putAll(beans);
            registry.setFallbackRegistry(indexed);
        }
    }

    @Override
    public <T> Set<T> findByType(Class<T> type) {
        Set<T> found = new LinkedHashSet<>();
        for (String name : namesOf(type)) {
            T bean = lookupByNameAndType(name, type);
            if (bean != null) {
                found.add(bean);
            }
        }
        return found;
    }

    @Override
    public <T> Map<String, T> findByTypeWithName(Class<T> type) {
        Map<String, T> found = new LinkedHashMap<>();
        for (String name : namesOf(type)) {
            T bean = lookupByNameAndType(name, type);
            if (bean != null) {
                found.put(name, bean);
            }
        }
        return found;
    }

    private List<String> namesOf(Class<?> type) {
        List<String> names = namesByType.get(type);
        if (names == null) {
            names = List.copyOf(super.findByTypeWithName(type).keySet());
            namesByType.put(type, names);
        }
        return names;
    }

    @Override
    public void bind(String id, Class<?> type, Object bean) {
        super.bind(id, type, bean);
        namesByType.clear();
    }

    @Override
    public void bind(String id, Class<?> type, Object bean, String initMethod, String destroyMethod) {
        super.bind(id, type, bean, initMethod, destroyMethod);
        namesByType.clear();
    }

    @Override
    public void bind(String id, Class<?> type, Supplier<Object> bean) {
        super.bind(id, type, bean);
        namesByType.clear();
    }

    @Override
    public void bind(String id, Class<?> type, Supplier<Object> bean, String initMethod, String destroyMethod) {
        super.bind(id, type, bean, initMethod, destroyMethod);
        namesByType.clear();
    }

    @Override
    public void bindAsPrototype(String id, Class<?> type, Supplier<Object> bean) {
        super.bindAsPrototype(id, type, bean);
        namesByType.clear();
    }

    @Override
    public void unbind(String id) {
        super.unbind(id);
        namesByType.clear();
    }

    @Override
    public Map<Class<?>, Object> put(String key, Map<Class<?>, Object> value) {
        namesByType.clear();
        return super.put(key, value);
    }

    @Override
    public void putAll(Map<? extends String, ? extends Map<Class<?>, Object>> m) {
        namesByType.clear();
        super.putAll(m);
    }

    @Override
    public Map<Class<?>, Object> remove(Object key) {
        namesByType.clear();
        return super.remove(key);
    }

    @Override
    public void clear() {
        namesByType.clear();
        super.clear();
    }
}
