package ar.loteria.central.reactor;

import java.util.PriorityQueue;
import java.util.concurrent.TimeUnit;

/**
 * The reactor's timers: tasks due at an instant of {@link System#nanoTime}, run in order of due
 * time, and those due together in the order they were scheduled. Reactor thread only.
 */
final class Timers {
    private record Timer(long dueNanos, long order, Runnable task) {
    }

    private final PriorityQueue<Timer> queue = new PriorityQueue<>((a, b) -> a.dueNanos != b.dueNanos
            ? Long.compare(a.dueNanos - b.dueNanos, 0) : Long.compare(a.order, b.order));
    private long order;

    void schedule(long delayNanos, Runnable task) {
        queue.add(new Timer(System.nanoTime() + delayNanos, order++, task));
    }

    /** How long a select may wait for the next timer, rounded up to a whole millisecond; 0 (for ever) with none. */
    long waitMillis() {
        Timer next = queue.peek();
        return next == null ? 0 : Math.max(1, TimeUnit.NANOSECONDS.toMillis(next.dueNanos - System.nanoTime() + 999_999));
    }

    /** The next task due at {@code now}, out of the queue; null when none is. */
    Runnable nextDue(long now) {
        return !queue.isEmpty() && queue.peek().dueNanos - now <= 0 ? queue.poll().task() : null;
    }
}
