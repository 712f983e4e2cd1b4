package ar.loteria.agency;

import java.io.IOException;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.function.LongSupplier;

/**
 * The agency's tries to reach the central since it last acknowledged something new (a WELCOME,
 * a stored batch): the wait before each next try ({@link Backoff}), when to give up
 * ({@code connect.deadline} after the first failure since that acknowledgement, so a long round
 * that moves on is never cut), and which failures to log: at most one line every
 * {@link #LOG_INTERVAL}, saying how many tries failed since the line before, so that a central
 * that refuses in a flood makes a line every few seconds, not one per try.
 */
final class Retries {
    static final Duration LOG_INTERVAL = Duration.ofSeconds(5);

    private final Backoff backoff;
    private final Duration deadline;
    private final AgencyLog log;
    private final Stop stop;
    /** Nanoseconds, as System.nanoTime: a test gives its own. */
    private final LongSupplier clock;
    /** Whether the central ever acknowledged anything: from then on, tries are reconnections. */
    private boolean reconnecting;
    private boolean failing;
    private long failingSince;
    private int failures;
    /** Failures since the last line; a line is due when the last one is LOG_INTERVAL old, or there was none. */
    private int unreported;
    private boolean logged;
    private long loggedAt;

    Retries(Backoff backoff, Duration deadline, AgencyLog log, Stop stop, LongSupplier clock) {
        this.backoff = backoff;
        this.deadline = deadline;
        this.log = log;
        this.stop = stop;
        this.clock = clock;
    }

    /** The central acknowledged something new: the deadline starts again at the next failure, and the waits are short again. */
    void progressed() {
        reconnecting = true;
        failing = false;
        backoff.reset();
    }

    /** Whether the last try failed and nothing was acknowledged since. */
    boolean failing() {
        return failing;
    }

    /**
     * After a failed try: waits for the next one and returns true; or, once {@code connect.deadline}
     * has passed since the first of these failures in a row, logs the give-up and returns false.
     * A stop during the wait ends it at once.
     */
    boolean awaitNext(IOException error) throws Stop.Stopped {
        long now = clock.getAsLong();
        if (!failing) {
            failing = true;
            failingSince = now;
            failures = 0;
        }
        failures++;
        unreported++;
        Duration tryingFor = Duration.ofNanos(now - failingSince);
        Duration left = deadline.minus(tryingFor);
        if (left.isNegative() || left.isZero()) {
            log.gaveUp(reconnecting, failures, shown(tryingFor), error.toString());
            return false;
        }
        if (!logged || now - loggedAt >= LOG_INTERVAL.toNanos()) {
            if (reconnecting) {
                log.reconnectRetrying(unreported, shown(tryingFor), error.toString());
            } else {
                log.connectRetrying(!logged, unreported, shown(tryingFor), error.toString());
            }
            logged = true;
            loggedAt = now;
            unreported = 0;
        }
        Duration wait = backoff.next();
        stop.sleep(wait.compareTo(left) < 0 ? wait : left); // one last try right at the deadline
        return true;
    }

    /** To the millisecond: nanoseconds in a log line are noise. */
    private static Duration shown(Duration d) {
        return d.truncatedTo(ChronoUnit.MILLIS);
    }
}
