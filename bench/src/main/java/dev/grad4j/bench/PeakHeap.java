package dev.grad4j.bench;

import com.sun.management.GarbageCollectionNotificationInfo;

import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;
import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The JVM's peak heap after a collection (the most live data it held, as the GC saw it: the heap
 * the run needs, not the garbage it made) and the process's peak resident set (Linux's
 * {@code VmHWM}: heap, JIT, metaspace, native buffers, what the operating system paid).
 */
final class PeakHeap {

    private final AtomicLong peakAfterGc = new AtomicLong();

    private PeakHeap() {
    }

    /** Starts listening to every collector's notifications. */
    static PeakHeap start() {
        PeakHeap p = new PeakHeap();
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (gc instanceof NotificationEmitter emitter) {
                emitter.addNotificationListener((n, handback) -> {
                    if (GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(n.getType())) {
                        var info = GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData());
                        long used = info.getGcInfo().getMemoryUsageAfterGc().values().stream()
                                .mapToLong(MemoryUsage::getUsed).sum();
                        p.peakAfterGc.accumulateAndGet(used, Math::max);
                    }
                }, null, null);
            }
        }
        return p;
    }

    /** {@code memory peak_heap_after_gc_mb H peak_rss_mb R}, after one last collection. */
    String report() {
        System.gc();
        long rss = vmHwmKb();
        return String.format(Locale.ROOT, "memory peak_heap_after_gc_mb %.4g peak_rss_mb %.4g", peakAfterGc.get() / 1048576.0,
                rss / 1024.0);
    }

    private static long vmHwmKb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | NumberFormatException e) {
            throw new IllegalStateException("cannot read the peak RSS from /proc/self/status: " + e.getMessage(), e);
        }
        throw new IllegalStateException("/proc/self/status has no VmHWM line");
    }
}
