package ar.loteria.central.session;

import java.util.function.BooleanSupplier;

/**
 * The session's side of the {@link InFlightBudget}: a batch needs room on its way to disk, and
 * without room it waits in the input, and the session in line, until room is kept for it. Only a
 * batch in hand waits: a session that has sent everything must not hold room for a batch that
 * never comes (found by the benchmark of 10,000 agencies: enough of those and nobody could send).
 */
final class BatchRoom {
    private enum Room {
        /** Takes a batch if there is room, or joins the line. */
        ASKS,
        /** In line, its batch at the head of the input. */
        WAITS,
        /** Room is kept for the batch at the head of its input. */
        GRANTED
    }

    private final InFlightBudget budget;
    private final BooleanSupplier wanted;
    private final Runnable resume;
    private Room room = Room.ASKS;

    /**
     * {@code wanted} says whether the session can still use room kept for it; {@code resume} hands
     * it back the batch that waited.
     */
    BatchRoom(InFlightBudget budget, BooleanSupplier wanted, Runnable resume) {
        this.budget = budget;
        this.wanted = wanted;
        this.resume = resume;
    }

    /** In line: the session takes no request until room is kept for its batch. */
    boolean waits() {
        return room == Room.WAITS;
    }

    /** Whether the batch in hand may go now; if not, the session joins the line. */
    boolean admits() {
        if (room == Room.GRANTED || budget.hasRoom()) {
            return true;
        }
        room = Room.WAITS;
        budget.await(this::admitted);
        return false;
    }

    /** The batch takes its share of the budget: what it costs, to be released once it is settled. */
    long take(int payloadBytes) {
        long cost = InFlightBudget.cost(payloadBytes);
        budget.take(cost);
        return cost;
    }

    void release(long cost) {
        budget.release(cost);
    }

    /** Room kept for the batch goes back: the batch took its own share, or it will never be taken. */
    void giveBack() {
        if (room == Room.GRANTED) {
            room = Room.ASKS;
            budget.giveBack();
        }
    }

    private boolean admitted() {
        if (!wanted.getAsBoolean()) {
            return false;
        }
        room = Room.GRANTED;
        resume.run();
        return true;
    }
}
