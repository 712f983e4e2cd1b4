package ar.loteria.central;

import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Gives back to the system the heap that a burst of work grew, once the central is idle (the last
 * connection closed). The serial collector grows its old generation under load rather than
 * collect it, and gives memory back only after a full collection, which nothing starts while the
 * central idles: a round of 10,000 agencies left a central of 140 MiB behind it for as long as it
 * ran. So it starts one, on a worker, when there is something to give: a heap at least twice what
 * it was after the last release, or at start. A peer that connects and closes again and again
 * grows nothing, so it starts nothing.
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

    private final Heap heap;
    private final Executor workers;
    private final CentralLog log;
    private final AtomicBoolean collecting = new AtomicBoolean();
    private volatile long baseline;

    HeapRelease(Heap heap, Executor workers, CentralLog log) {
        this.heap = heap;
        this.workers = workers;
        this.log = log;
        this.baseline = heap.committedBytes();
    }

    /** The central is idle: a collection goes to a worker if the heap grew enough since the last one. */
    void idle() {
        if (heap.committedBytes() < 2 * baseline || !collecting.compareAndSet(false, true)) {
            return;
        }
        try {
            workers.execute(this::collect);
        } catch (RejectedExecutionException e) {
            collecting.set(false); // stopping: the process gives it all back
        }
    }

    private void collect() {
        long before = heap.committedBytes();
        long started = System.nanoTime();
        heap.collect();
        long after = heap.committedBytes();
        baseline = after;
        collecting.set(false);
        log.heapReleased(before, after, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
    }
}
