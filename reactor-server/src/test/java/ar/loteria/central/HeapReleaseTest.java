package ar.loteria.central;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import org.junit.jupiter.api.Test;

/** When the idle central collects its heap: only when it grew, once at a time, on a worker. */
class HeapReleaseTest {
    private static final long MIB = 1 << 20;

    /** A heap that holds what the test says, and shrinks to {@code afterCollection} when collected. */
    private static final class FakeHeap implements HeapRelease.Heap {
        long committed = 8 * MIB;
        long afterCollection = 9 * MIB;
        int collections;

        @Override
        public long committedBytes() {
            return committed;
        }

        @Override
        public void collect() {
            collections++;
            committed = afterCollection;
        }
    }

    private final FakeHeap heap = new FakeHeap();
    private final List<Runnable> workers = new ArrayList<>();
    private long now = 1_000_000_000L;

    private void runWorkers() {
        List<Runnable> tasks = new ArrayList<>(workers);
        workers.clear();
        tasks.forEach(Runnable::run);
    }

    @Test
    void aHeapThatDidNotGrowIsLeftAlone() {
        HeapRelease release = new HeapRelease(heap, workers::add, new CentralLog(), () -> now);
        heap.committed = 15 * MIB; // grown, but less than twice what it was at start
        release.idle();
        assertEquals(List.of(), workers, "nothing to give back: no collection, which would only pause the central");
    }

    @Test
    void aHeapThatDoubledIsCollectedOnAWorkerOnceAtATime() {
        HeapRelease release = new HeapRelease(heap, workers::add, new CentralLog(), () -> now);
        heap.committed = 70 * MIB;
        release.idle();
        release.idle(); // idle again before the worker ran: the same collection serves
        assertEquals(0, heap.collections, "not on the caller's thread (the reactor's)");
        assertEquals(1, workers.size());
        runWorkers();
        assertEquals(1, heap.collections);
        assertEquals(9 * MIB, heap.committed);

        now += HeapRelease.MIN_GAP_NANOS;
        heap.committed = 17 * MIB; // grown since, but not twice what the last collection left
        release.idle();
        assertEquals(List.of(), workers);
        heap.committed = 18 * MIB;
        release.idle();
        runWorkers();
        assertEquals(2, heap.collections, "twice what the last collection left: collected again");
    }

    /** A stranger who grows the heap (connections, partial frames) and closes everything, again and again. */
    @Test
    void collectionsAreAtLeastTheGapApart() {
        HeapRelease release = new HeapRelease(heap, workers::add, new CentralLog(), () -> now);
        heap.committed = 70 * MIB;
        release.idle();
        runWorkers();
        assertEquals(1, heap.collections);
        heap.committed = 70 * MIB; // grown again at once
        now += HeapRelease.MIN_GAP_NANOS - 1;
        release.idle();
        assertEquals(List.of(), workers, "too soon after the last one");
        now += 1;
        release.idle();
        runWorkers();
        assertEquals(2, heap.collections, "the gap passed: collected");
    }

    @Test
    void workersThatStopTakeNothingAndTheNextIdleTriesAgain() {
        boolean[] stopping = {true};
        HeapRelease release = new HeapRelease(heap, task -> {
            if (stopping[0]) {
                throw new RejectedExecutionException("shutting down");
            }
            workers.add(task);
        }, new CentralLog(), () -> now);
        heap.committed = 70 * MIB;
        release.idle();
        assertEquals(0, heap.collections);
        stopping[0] = false;
        release.idle();
        runWorkers();
        assertEquals(1, heap.collections, "a refused task does not leave a collection marked as running");
    }
}
