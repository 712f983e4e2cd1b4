package ar.loteria.central.session;

import ar.loteria.wire.Frame;
import java.util.ArrayDeque;

/**
 * The bytes of batches on their way to disk, over all connections: a session takes a batch's
 * share before it hands it to the store, and gives it back when the batch is settled. A session
 * takes a request only while a whole batch's share still fits, so the total never passes the
 * limit however many agencies pipeline at once; past it, sessions wait their turn. Reactor
 * thread only.
 */
final class Admission {
    /** What one batch costs at most: its payload, as much again for its rows, and the objects around them. */
    static final long MAX_COST = 2L * Frame.MAX_PAYLOAD_BYTES + 256;

    private final long limit;
    private final ArrayDeque<Runnable> waiting = new ArrayDeque<>();
    private long held;

    Admission(long limit) {
        this.limit = limit;
    }

    static long cost(int payloadBytes) {
        return 2L * payloadBytes + 256;
    }

    boolean hasRoom() {
        return held + MAX_COST <= limit;
    }

    /** Runs {@code wakeUp} once there is room again. */
    void await(Runnable wakeUp) {
        waiting.add(wakeUp);
    }

    void take(long bytes) {
        held += bytes;
    }

    void release(long bytes) {
        held -= bytes;
        while (!waiting.isEmpty() && hasRoom()) {
            waiting.poll().run();
        }
    }

    long held() {
        return held;
    }
}
