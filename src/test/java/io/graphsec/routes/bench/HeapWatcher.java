package io.graphsec.routes.bench;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

/**
 * Peak heap used in this JVM since the last {@link #reset}: the larger of the heap in use just
 * before each garbage collection (from GC notifications; that is where used heap peaks) and a
 * sample of the heap pools every 20 ms (catches a peak that no collection followed). With a
 * large -Xmx that peak mostly says how much garbage the collector let pile up, so the largest
 * heap in use right after a collection is kept too: the closer measure of what the run needs.
 */
final class HeapWatcher implements AutoCloseable {

    private final List<MemoryPoolMXBean> heapPools = ManagementFactory.getMemoryPoolMXBeans().stream()
            .filter(p -> p.getType() == MemoryType.HEAP).toList();
    private final Set<String> heapPoolNames = heapPools.stream().map(MemoryPoolMXBean::getName).collect(Collectors.toSet());
    private final AtomicLong peak = new AtomicLong();
    private final AtomicLong peakAfterGc = new AtomicLong();
    private final ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "bench-heap-sampler");
        t.setDaemon(true);
        return t;
    });
    private final NotificationListener onGc = (notification, handback) -> {
        if (GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
            GarbageCollectionNotificationInfo info = GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData());
            record(sum(info.getGcInfo().getMemoryUsageBeforeGc()));
            peakAfterGc.accumulateAndGet(sum(info.getGcInfo().getMemoryUsageAfterGc()), Math::max);
        }
    };
    private long gcCountAtReset;
    private long gcMillisAtReset;

    HeapWatcher() {
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            ((NotificationEmitter) gc).addNotificationListener(onGc, null, null);
        }
        sampler.scheduleAtFixedRate(() -> record(used()), 20, 20, TimeUnit.MILLISECONDS);
    }

    private long sum(Map<String, MemoryUsage> usageByPool) {
        return usageByPool.entrySet().stream().filter(e -> heapPoolNames.contains(e.getKey()))
                .mapToLong(e -> e.getValue().getUsed()).sum();
    }

    private void record(long used) {
        peak.accumulateAndGet(used, Math::max);
    }

    long used() {
        return heapPools.stream().mapToLong(p -> p.getUsage().getUsed()).sum();
    }

    synchronized void reset() {
        peak.set(used());
        peakAfterGc.set(0);
        gcCountAtReset = gcCount();
        gcMillisAtReset = gcMillis();
    }

    long peak() {
        return peak.get();
    }

    /** The most heap still in use right after a collection: live data plus what that collection left. */
    long peakAfterGc() {
        return peakAfterGc.get();
    }

    long gcsSinceReset() {
        return gcCount() - gcCountAtReset;
    }

    long gcMillisSinceReset() {
        return gcMillis() - gcMillisAtReset;
    }

    static long maxHeap() {
        return Runtime.getRuntime().maxMemory();
    }

    private static long gcCount() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream().mapToLong(GarbageCollectorMXBean::getCollectionCount).sum();
    }

    private static long gcMillis() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream().mapToLong(GarbageCollectorMXBean::getCollectionTime).sum();
    }

    @Override
    public void close() {
        sampler.shutdownNow();
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            try {
                ((NotificationEmitter) gc).removeNotificationListener(onGc);
            } catch (javax.management.ListenerNotFoundException ignored) {
                // never added
            }
        }
    }
}
