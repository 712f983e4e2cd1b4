package ar.loteria.central.reactor;

import java.nio.channels.Selector;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The tasks other threads hand the reactor thread, the one part of the reactor that any thread
 * may touch. One wakeup of the selector serves every task queued before the reactor drains them.
 */
final class Inbox {
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean wakeupPending = new AtomicBoolean();
    private final Selector selector;

    Inbox(Selector selector) {
        this.selector = selector;
    }

    /** Queues a task; safe from any thread. */
    void add(Runnable task) {
        tasks.add(task);
        if (wakeupPending.compareAndSet(false, true)) {
            selector.wakeup();
        }
    }

    /** Reactor thread, before it drains the tasks: a task queued from now on wakes the next select. */
    void draining() {
        wakeupPending.set(false);
    }

    /** The next task, out of the queue; null when none is left. */
    Runnable next() {
        return tasks.poll();
    }
}
