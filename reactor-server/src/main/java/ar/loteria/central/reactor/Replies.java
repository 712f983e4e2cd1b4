package ar.loteria.central.reactor;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.GatheringByteChannel;
import java.util.Iterator;

/**
 * One connection's replies ({@link Outbound}) and what they hold its peer to: above the high
 * water mark it is blocked until the peer reads below the low one; refused by the
 * {@link OutputBudget} of all connections it is shed, in the budget's line, until resumed. Either
 * way its input is read no more. Reactor thread only.
 */
final class Replies {
    private final Connection owner;
    private final Outbound outbound;
    private final OutputBudget budget;
    private final Deadlines deadlines;
    /** Above the high water mark, until drained below the low one. */
    private boolean blocked;
    /** Refused output by the budget of all connections: read no more until resumed. */
    private boolean shed;

    Replies(Connection owner, OutputBudget budget, Deadlines deadlines) {
        this.owner = owner;
        this.outbound = new Outbound(budget);
        this.budget = budget;
        this.deadlines = deadlines;
    }

    void add(ByteBuffer reply) {
        owed();
        outbound.add(reply);
    }

    void add(Iterator<ByteBuffer> stream) {
        owed();
        outbound.add(stream);
    }

    private void owed() {
        if (outbound.isEmpty()) {
            deadlines.owed();
        }
    }

    /** Whether more replies may be added by a peer of {@code standing}; one the budget refuses is shed. */
    boolean admit(Standing standing, long now) {
        if (blocked || outbound.aboveHighWater()) {
            if (standing != Standing.AUTHENTICATED && budget.over()) {
                shed(now); // over its own mark too: it must drain within the write timeout, however it trickles
            }
            return false;
        }
        if (budget.admits(outbound.charged(), standing)) {
            return true;
        }
        shed(now);
        return false;
    }

    private void shed(long now) {
        if (!shed) {
            shed = true;
            deadlines.shed(now);
            budget.shed(owner);
        }
    }

    /** Whether the peer's input waits for its replies to go: blocked or shed. */
    boolean holdBack() {
        return blocked || shed;
    }

    boolean isShed() {
        return shed;
    }

    boolean isEmpty() {
        return outbound.isEmpty();
    }

    /** Whether a streamed reply is still being written. */
    boolean streaming() {
        return outbound.streaming();
    }

    /** After the session's turn: above the high water mark, the peer is read no more until it reads below the low one. */
    void blockIfFull() {
        blocked |= outbound.aboveHighWater();
    }

    /** Writes what {@code channel} takes. */
    void writeTo(GatheringByteChannel channel, long now) throws IOException {
        if (outbound.writeTo(channel) > 0) {
            deadlines.wrote(now);
        }
    }

    /** After a write: blocks above the high water mark; whether a block just ended below the low one. */
    boolean unblocked() {
        if (!blocked && outbound.aboveHighWater()) {
            blocked = true;
        } else if (blocked && outbound.belowLowWater()) {
            blocked = false;
            return true;
        }
        return false;
    }

    /** Whether the budget, shed it, now admits it by its own writes. */
    boolean readmitted(Standing standing) {
        return shed && budget.admits(outbound.charged(), standing);
    }

    /** Leaves the budget's line; whether it was shed. */
    boolean unshed() {
        if (!shed) {
            return false;
        }
        shed = false;
        budget.forget(owner);
        return true;
    }

    /** Forgets everything: the connection is gone. */
    void clear() {
        outbound.clear();
        budget.forget(owner);
    }
}
