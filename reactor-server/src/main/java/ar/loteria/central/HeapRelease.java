package ar.loteria.central;

import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;

/**
 * Gives back to the system the heap that a burst of work grew, once the central is idle (the last
 * connection closed). The serial collector grows its old generation under load rather than
 * collect it, and gives memory back only after a full collection, which nothing starts while the
 * central idles: a round of 10,000 agencies left a central of 140 MiB behind it for as long as it
 * ran. So it starts one, on a worker, when there is something to give: a heap at least twice what
 * it was after the last release, or at start. A peer that connects and closes again and again
 * grows nothing, so it starts nothing; one that grows the heap first (many connections, partial
 * frames) and then closes them all gets at most one collection every {@link #MIN_GAP_NANOS}, a
 * pause of tens of milliseconds every 10 s. A burst that ends sooner than that after a release
 * keeps its heap until the central goes idle again: nothing retries.
 */
final class HeapRelease {
    /** The heap as this class sees it: what it holds of the system's memory, and a full collection. */
    interface Heap {
        long committedBytes();

        void collect();
    }

    /** This JVM's heap. {@code -XX:-ShrinkHeapInSteps} (jvm.options) lets one collection shrink it all the way. */
    static final Heap JVM = new Heap() {
        @Override
        public long committedBytes() {
            return Runtime.getRuntime().totalMemory();
        }

        @Override
        public void collect() {
            System.gc();
        }
    };

    /** The least time from one collection to the next. */
    static final long MIN_GAP_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final Heap heap;
    private final Executor workers;
    private final CentralLog log;
    private final LongSupplier clock;
    private final AtomicBoolean collecting = new AtomicBoolean();
    private volatile long baseline;
    /** When the last collection ended; at start, one gap before it, so that the first may come at once. */
    private volatile long lastNanos;

    HeapRelease(Heap heap, Executor workers, CentralLog log, LongSupplier clock) {
        this.heap = heap;
        this.workers = workers;
        this.log = log;
        this.clock = clock;
        this.baseline = heap.committedBytes();
        this.lastNanos = clock.getAsLong() - MIN_GAP_NANOS;
    }

    /** The central is idle: a collection goes to a worker if the heap grew enough since the last one, and that one is old enough. */
    void idle() {
        if (!collecting.compareAndSet(false, true)) {
            return; // one is on its way: it serves this idleness too
        }
        if (heap.committedBytes() < 2 * baseline || clock.getAsLong() - lastNanos < MIN_GAP_NANOS) {
            collecting.set(false);
            return;
        }
        try {
            workers.execute(this::collect);
        } catch (RejectedExecutionException e) {
            collecting.set(false); // stopping: the process gives it all back
        }
    }

    private void collect() {
        try {
            long before = heap.committedBytes();
            long started = clock.getAsLong();
            heap.collect();
            long after = heap.committedBytes();
            baseline = after;
            lastNanos = clock.getAsLong();
            log.heapReleased(before, after, TimeUnit.NANOSECONDS.toMillis(lastNanos - started));
        } finally {
            collecting.set(false);
        }
    }
}
