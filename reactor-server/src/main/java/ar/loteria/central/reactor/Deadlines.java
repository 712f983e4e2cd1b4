package ar.loteria.central.reactor;

import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * One connection's clocks, and the {@link Limits} of time its peer is held to: the handshake
 * deadline, the write timeout (replies owed and none taken; or shed by the output budget and not
 * all taken), the request deadline and minimum rate of a request still arriving, and the idle
 * timeout. The connection tells it what happens; the reactor's sweep asks it which limit ran out.
 * Reactor thread only.
 */
final class Deadlines {
    private final long acceptedNanos;
    private long lastReadNanos;
    private long lastWriteNanos;
    /** Since when the head of the input is a request still arriving; -1 when there is none. */
    private long partialSinceNanos = -1;
    /** {@link #bytesRead} before the first byte of that request: how much of it arrived since tells its rate. */
    private long partialFromBytes;
    private long bytesRead;
    private long shedSinceNanos;

    long acceptedNanos() {
        return acceptedNanos;
    }

    Deadlines(long acceptedNanos) {
        this.acceptedNanos = acceptedNanos;
        this.lastReadNanos = acceptedNanos;
        this.lastWriteNanos = acceptedNanos;
    }

    /**
     * A quarter of the shortest timeout and a fiftieth of the handshake timeout, between 10 ms and
     * 1 s: how often the reactor sweeps, so how late a timeout may fire. The handshake's is short
     * so that the strangers a flood opens each second are closed in small groups as their
     * deadlines pass, not all in one turn that stalls the agencies' (a sweep of ten thousand
     * connections costs well under a millisecond).
     */
    static long sweepInterval(Limits limits) {
        long shortest = Math.min(Math.min(limits.idleTimeout().toNanos(), limits.handshakeTimeout().toNanos()),
                Math.min(limits.requestTimeout().toNanos(), limits.writeTimeout().toNanos()));
        long often = Math.min(shortest / 4, limits.handshakeTimeout().toNanos() / 50);
        return Math.max(TimeUnit.MILLISECONDS.toNanos(10), Math.min(TimeUnit.SECONDS.toNanos(1), often));
    }

    /** {@code n} bytes came from the peer. */
    void read(int n, long now) {
        lastReadNanos = now;
        bytesRead += n;
    }

    /** Whether the peer has not sent a byte yet. */
    boolean silent() {
        return bytesRead == 0;
    }

    /** The peer took some of its replies. */
    void wrote(long now) {
        lastWriteNanos = now;
    }

    /**
     * A reply becomes owed when none was: the write timeout counts from now, not from the last
     * write, long ago perhaps. The clock's, not the turn's: this turn may have been long already.
     */
    void owed() {
        lastWriteNanos = System.nanoTime();
    }

    long lastWrite() {
        return lastWriteNanos;
    }

    /** The output budget shed the connection: its peer has the write timeout to take what it is owed. */
    void shed(long now) {
        shedSinceNanos = now;
    }

    /** No request is arriving: the input is empty, or it waits on us, not on the peer. */
    void noRequestArriving() {
        partialSinceNanos = -1;
    }

    /** The head of the input is a request still arriving, {@code buffered} bytes of it in; its clock starts now if it had not. */
    void requestArriving(long now, long buffered) {
        if (partialSinceNanos < 0) {
            partialSinceNanos = now;
            partialFromBytes = bytesRead - buffered;
        }
    }

    /**
     * Which limit ran out, if any, for an open connection. No handshake: a {@code stranger}
     * still, past the handshake timeout. Not reading: replies {@code owed} and none taken by the
     * peer for the write timeout, or, once {@code shed}, not all taken within it. Too slow: the
     * request at the head of the input has been arriving for the request timeout, however
     * steadily its bytes trickle in, or below the minimum rate past its grace. Idle: nothing read
     * for the idle timeout, and the connection waits for nothing ({@code mayIdleOut}, asked last).
     */
    String overdue(long now, Limits limits, boolean stranger, boolean owed, boolean shed, BooleanSupplier mayIdleOut) {
        long write = limits.writeTimeout().toNanos();
        if (stranger && handshakeOver(now, limits)) {
            return "no handshake within " + limits.handshakeTimeout().toMillis() + " ms";
        } else if (owed && now - lastWriteNanos > write) {
            return "the peer read none of its replies for " + limits.writeTimeout().toMillis() + " ms";
        } else if (owed && shed && now - shedSinceNanos > write) {
            return "past the output budget, the peer did not read its replies within " + limits.writeTimeout().toMillis() + " ms";
        } else if (partialSinceNanos >= 0 && now - partialSinceNanos > limits.requestTimeout().toNanos()) {
            return "a request took more than " + limits.requestTimeout().toMillis() + " ms to arrive";
        } else if (partialSinceNanos >= 0 && tooSlow(now, limits.minRequestRate())) {
            return "a request arrived at less than " + limits.minRequestRate() + " bytes a second";
        } else if (!owed && now - lastReadNanos > limits.idleTimeout().toNanos() && mayIdleOut.getAsBoolean()) {
            return "idle for " + limits.idleTimeout().toMillis() + " ms";
        }
        return null;
    }

    /** Whether the handshake deadline, counted from the accept, has passed. */
    private boolean handshakeOver(long now, Limits limits) {
        return now - acceptedNanos > limits.handshakeTimeout().toNanos();
    }

    /** Whether the request still arriving, past its grace, came at less than {@code rate} bytes a second. */
    private boolean tooSlow(long now, int rate) {
        long elapsed = now - partialSinceNanos;
        return rate > 0 && elapsed > Limits.RATE_GRACE.toNanos() && (bytesRead - partialFromBytes) * 1_000_000_000.0 < (double) rate * elapsed;
    }
}
