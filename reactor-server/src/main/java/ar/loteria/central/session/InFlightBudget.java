package ar.loteria.central.session;

import ar.loteria.central.store.Store;
import ar.loteria.wire.Frame;
import java.util.ArrayDeque;

/**
 * The bytes of batches on their way to disk, over all connections: a session takes a batch's
 * share before it hands it to the store, and gives it back when the batch is settled. A session
 * takes a batch only while a whole batch's share still fits, so the total never passes the
 * limit however many agencies pipeline at once. Past it, sessions with a batch in hand wait in
 * line: room that comes back is kept for the one at the head (a grant), which gives it back once
 * that batch took its share, so no session that came later goes first. Reactor thread only.
 */
final class InFlightBudget {
    /** What one batch costs at most. */
    static final long MAX_COST = cost(Frame.MAX_PAYLOAD_BYTES);

    /** A session waiting for room. */
    interface Waiter {
        /** Room is kept for it: false if it is gone and cannot use it. */
        boolean admitted();
    }

    private final long limit;
    private final SessionEvents events;
    private final ArrayDeque<Waiter> waiting = new ArrayDeque<>();
    private long held;
    private int batches;
    /** Room kept for sessions woken and not yet back, a batch's worth each. */
    private long granted;

    InFlightBudget(long limit, SessionEvents events) {
        this.limit = limit;
        this.events = events;
    }

    /** What a batch costs: the arrays the store holds for it (its payload and its rows), and the objects around them. */
    static long cost(int payloadBytes) {
        return Store.batchBytes(payloadBytes) + 256;
    }

    /** Whether a session that holds no grant may take a batch now: room, and nobody ahead of it. */
    boolean hasRoom() {
        return waiting.isEmpty() && fits();
    }

    /** Joins the line; {@code waiter} is admitted once room comes back for it. */
    void await(Waiter waiter) {
        waiting.add(waiter);
    }

    void take(long bytes) {
        held += bytes;
        events.inFlight(++batches, held);
    }

    void release(long bytes) {
        held -= bytes;
        events.inFlight(--batches, held);
        grant();
    }

    /** A woken session gives its grant back: its batch took its own share, or it will never be taken. */
    void giveBack() {
        granted -= MAX_COST;
        grant();
    }

    private boolean fits() {
        return held + granted + MAX_COST <= limit;
    }

    private void grant() {
        while (!waiting.isEmpty() && fits()) {
            granted += MAX_COST;
            if (!waiting.poll().admitted()) {
                granted -= MAX_COST;
            }
        }
    }

    long held() {
        return held;
    }
}
