package ar.loteria.agency;

import java.time.Duration;
import java.util.Random;

/**
 * How long to wait before the next try: capped exponential backoff with decorrelated jitter,
 * each wait drawn between the base and three times the wait before, never past the cap.
 *
 * <p>Why this kind: every wait is at least the base, so a central that closes each connection at
 * once (at its connection caps, in a flood) is never tried in a tight loop; and the waits are
 * drawn, so agencies that lost the central at the same instant (a restart) come back spread
 * out, not in step. Why a cap of 5 s: a central that is back is found within seconds, the
 * round goes on; and an agency costs a central that refuses it about one connection every 3 s.
 */
final class Backoff {
    static final Duration CAP = Duration.ofSeconds(5);
    /** A base of 0 would retry in a tight loop; a millisecond is the finest wait a sleep honours. */
    private static final long MIN_BASE_NANOS = Duration.ofMillis(1).toNanos();

    private final long base;
    private final long cap;
    private final Random random;
    private long last;

    /** {@code cap} is raised to {@code base} if lower: an old config's long connect.backoff is still honoured. */
    Backoff(Duration base, Duration cap, Random random) {
        this.base = Math.max(MIN_BASE_NANOS, base.toNanos());
        this.cap = Math.max(this.base, cap.toNanos());
        this.random = random;
        this.last = this.base;
    }

    Duration next() {
        long high = Math.min(cap, last > Long.MAX_VALUE / 3 ? Long.MAX_VALUE : last * 3);
        last = high <= base ? base : base + random.nextLong(high - base + 1);
        return Duration.ofNanos(last);
    }

    /** The central answered: the next wait is short again. */
    void reset() {
        last = base;
    }
}
