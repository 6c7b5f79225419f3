package io.graphsec.routes;

import io.graphsec.routes.config.ConfigurationException;
import io.graphsec.routes.config.Props;
import io.graphsec.routes.config.TenantsFile;
import io.graphsec.routes.graph.GraphIds;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the tenants file again every {@code graph.tenants.reload-interval} while the application runs
 * and serves what it lists: a tenant that appeared is added ({@link ServedTenants#addNow}), one that
 * is gone is removed, one whose keys in the file changed is removed and added with them; the other
 * tenants' routes run on untouched. The file is configuration and is checked as at start: an entry
 * that does not pass is refused in one log line naming the key and the problem (once, until the entry
 * changes), and the tenants served go on. A file that cannot be read changes nothing.
 */
final class TenantsReload {

    private static final Logger LOG = LoggerFactory.getLogger(TenantsReload.class);

    private final Props props;
    private final ServedTenants served;
    private final Path file;
    /** The refused entries, by name: the problem last logged and the keys it was logged for. */
    private final Map<String, Map.Entry<String, Map<String, String>>> refused = new ConcurrentHashMap<>();
    private volatile String unreadable;
    private volatile List<String> ignored = List.of();

    private TenantsReload(Props props, ServedTenants served, TenantsFile atStart) {
        this.props = props;
        this.served = served;
        this.file = atStart.path();
        this.ignored = atStart.ignored();
    }

    /** Reads the file again every {@code graph.tenants.reload-interval} (zero: never) once the context runs. */
    static void start(CamelContext context, Props props, ServedTenants served, TenantsFile atStart) throws Exception {
        Duration interval = props.duration("graph.tenants.reload-interval");
        if (interval.isZero() || interval.isNegative()) {
            return;
        }
        TenantsReload reload = new TenantsReload(props, served, atStart);
        context.addStartupListener((started, alreadyStarted) -> {
            // The context's own executor: shut down when the context stops.
            ScheduledExecutorService executor = started.getExecutorServiceManager()
                    .newSingleThreadScheduledExecutor(reload, "graph-tenants-reload");
            executor.scheduleWithFixedDelay(reload::reload, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
        });
    }

    /** The tenants file, read; a key in it that is not a tenant key is named in a warning, once per reading. */
    static TenantsFile read(Path file) {
        TenantsFile read = TenantsFile.read(file);
        warnIgnored(read);
        return read;
    }

    private static void warnIgnored(TenantsFile read) {
        read.ignored().forEach(key -> LOG.warn("{} {}: the key {} is ignored (only graph.tenants and"
                + " graph.tenant.<name>.* belong there)", TenantsFile.KEY, read.path(), GraphIds.quote(key)));
    }

    void reload() {
        try {
            serveTheFile();
        } catch (RuntimeException e) {
            // A scheduled task that throws is never run again: log it and read the file on the next round.
            LOG.error("Reading {} again failed ({}); the tenants served go on as they are", file, e.toString());
        }
    }

    private void serveTheFile() {
        TenantsFile now;
        try {
            now = TenantsFile.read(file);
            if (!now.ignored().equals(ignored)) {
                warnIgnored(now);
                ignored = now.ignored();
            }
            unreadable = null;
        } catch (ConfigurationException e) {
            if (!e.getMessage().equals(unreadable)) {
                LOG.error("{}; the tenants served go on as they are", e.getMessage());
                unreadable = e.getMessage();
            }
            return;
        }
        List<String> names = now.names();
        refused.keySet().retainAll(names);
        for (String name : served.names()) {
            if (!names.contains(name)) {
                LOG.info("Tenant {} is no longer in {}: its polls stop (its state stays under its state directory)",
                        name, file);
                remove(name);
            } else if (!served.keysOf(name).equals(now.keysOf(name))) {
                LOG.info("Tenant {}: its keys in {} changed; its polls start again with them", name, file);
                remove(name);
            }
        }
        Props tenantProps = now.over(props);
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i);
            Map<String, String> keys = now.keysOf(name);
            Map.Entry<String, Map<String, String>> refusal = refused.get(name);
            if (served.names().contains(name) || refusal != null && refusal.getValue().equals(keys)) {
                continue;
            }
            try {
                // Its place in the list spreads its polls as at start; the others keep their schedules.
                served.addNow(tenantProps, name, i + 1, 1 + names.size(), keys);
                refused.remove(name);
                LOG.info("Tenant {} added from {}: polled from now on", name, file);
            } catch (Exception | LinkageError e) {
                String problem = Objects.requireNonNullElse(ConfigurationException.in(e), e).getMessage();
                refused.put(name, Map.entry(String.valueOf(problem), keys));
                LOG.error("{}: tenant {} refused: {}; the other tenants go on", file, GraphIds.quote(name), problem);
            }
        }
    }

    private void remove(String name) {
        try {
            served.remove(name);
        } catch (Exception e) {
            LOG.error("Tenant {} could not be taken down completely: {}", name, e.getMessage());
        }
    }
}
