package ar.loteria.central.reactor;

/**
 * How far a connection is from closed, why it closes, and how long its close may take: a closing
 * connection that makes no progress for {@link Limits#LINGER} is closed on. Reactor thread only.
 */
final class Lifecycle {
    enum State {
        OPEN,
        /** Replies are still being written; the connection closes once they are out. */
        CLOSING,
        /** Our side is shut; what the peer still sends is drained so that our last reply is not lost to a reset. */
        LINGERING,
        /**
         * A stranger refused (its refusal written), or silent past its handshake deadline: it is read no
         * more and holds only its socket, until a newcomer displaces it or, held for the idle
         * timeout, it is closed. Closed at once, it would only connect again: a flood's churn would be the central's
         * own doing.
         */
        HELD,
        CLOSED
    }

    private State state = State.OPEN;
    private String reason;
    private long sinceNanos;

    boolean is(State s) {
        return state == s;
    }

    /** Whether replies may still be queued: open, or closing once they are out. */
    boolean takesReplies() {
        return state == State.OPEN || state == State.CLOSING;
    }

    String reason() {
        return reason;
    }

    /** Open: it closes once its replies are out, for {@code why}; whether it was open. */
    boolean closeAfterFlush(String why, long now) {
        if (state != State.OPEN) {
            return false;
        }
        state = State.CLOSING;
        reason = why;
        sinceNanos = now;
        return true;
    }

    /** Every reply is out and our side shut: the peer's last bytes are drained. */
    void linger(long now) {
        state = State.LINGERING;
        sinceNanos = now;
    }

    /** A stranger refused, its refusal out, or past a deadline: it is held, unread, for {@code why}. */
    void hold(String why, long now) {
        state = State.HELD;
        sinceNanos = now;
        if (reason == null) {
            reason = why;
        }
    }

    /** Closed now; whether it was not already. */
    boolean close() {
        if (state == State.CLOSED) {
            return false;
        }
        state = State.CLOSED;
        return true;
    }

    /**
     * Why a connection on its way to closed must close now, if it must: closing, it made no
     * progress for the linger (no write, or no close from the peer); held, for the idle timeout.
     */
    String overdue(long now, Deadlines deadlines, Limits limits) {
        boolean over = switch (state) {
            case CLOSING -> now - Math.max(deadlines.lastWrite(), sinceNanos) > Limits.LINGER.toNanos();
            case LINGERING -> now - sinceNanos > Limits.LINGER.toNanos();
            case HELD -> now - sinceNanos > limits.idleTimeout().toNanos();
            default -> false;
        };
        return over ? reason : null;
    }
}
