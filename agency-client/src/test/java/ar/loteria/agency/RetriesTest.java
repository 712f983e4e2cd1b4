package ar.loteria.agency;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyBoolean;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.spy;
import static org.mockito.Mockito.verify;

import java.io.IOException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.mockito.InOrder;

/**
 * Which failures are logged and when the agency gives up, on a clock the test moves: every
 * failure is {@code step} after the one before. The real waits are a millisecond each.
 */
class RetriesTest {
    private final AtomicLong now = new AtomicLong();
    private final AgencyLog log = spy(new AgencyLog(1));
    private final Stop stop = new Stop(Thread.currentThread());
    private static final IOException REFUSED = new ConnectException("Connection refused");

    private Retries retries(Duration deadline) {
        Backoff quick = new Backoff(Duration.ofMillis(1), Duration.ofMillis(1), new Random(1));
        return new Retries(quick, deadline, log, stop, now::get);
    }

    /** {@code n} failures, {@code step} apart, the first one now; whether the agency still tries after the last. */
    private boolean fail(Retries retries, int n, Duration step) throws Stop.Stopped {
        boolean going = true;
        for (int i = 0; i < n && going; i++) {
            if (i > 0) {
                now.addAndGet(step.toNanos());
            }
            going = retries.awaitNext(REFUSED);
        }
        return going;
    }

    @Test
    void aFloodOfRefusalsMakesOneLineEveryFiveSecondsWithTheCountOfTriesSinceTheLast() throws Exception {
        Retries retries = retries(Duration.ofMinutes(1));
        assertTrue(fail(retries, 500, Duration.ofMillis(40))); // 20 s of refusals
        InOrder order = inOrder(log);
        String error = REFUSED.toString();
        order.verify(log).connectRetrying(true, 1, Duration.ZERO, error);
        order.verify(log).connectRetrying(false, 125, Duration.ofSeconds(5), error);
        order.verify(log).connectRetrying(false, 125, Duration.ofSeconds(10), error);
        order.verify(log).connectRetrying(false, 125, Duration.ofSeconds(15), error);
        order.verifyNoMoreInteractions();
    }

    @Test
    void pastTheDeadlineItGivesUpWithOneLineSayingHowLongItTriedAndTheLastError() throws Exception {
        Retries retries = retries(Duration.ofSeconds(1));
        assertFalse(fail(retries, 100, Duration.ofMillis(100)));
        verify(log).gaveUp(false, 11, Duration.ofSeconds(1), REFUSED.toString());
        verify(log).connectRetrying(true, 1, Duration.ZERO, REFUSED.toString());
        verify(log, never()).reconnectRetrying(anyInt(), any(), anyString());
    }

    /** The deadline is for making progress: the central acknowledged something, so the count starts over. */
    @Test
    void progressRestartsTheDeadlineAndLaterFailuresAreReconnections() throws Exception {
        Retries retries = retries(Duration.ofSeconds(1));
        for (int round = 0; round < 10; round++) { // 10 s of failures in all, never 1 s without progress
            assertTrue(fail(retries, 10, Duration.ofMillis(90)));
            now.addAndGet(Duration.ofMillis(90).toNanos());
            retries.progressed();
        }
        verify(log, never()).gaveUp(anyBoolean(), anyInt(), any(), anyString());
        verify(log).connectRetrying(true, 1, Duration.ZERO, REFUSED.toString());
        verify(log).reconnectRetrying(56, Duration.ofMillis(540), REFUSED.toString()); // at 5.04 s, the 7th failure of its round
        now.addAndGet(Duration.ofSeconds(30).toNanos());
        assertFalse(fail(retries, 20, Duration.ofMillis(90)), "without progress, the deadline holds again");
        verify(log).reconnectRetrying(44, Duration.ZERO, REFUSED.toString());
        verify(log).gaveUp(true, 13, Duration.ofMillis(1080), REFUSED.toString());
    }

    /** SIGTERM during a wait: the wait ends at once, however long it was to be. */
    @Test
    @Timeout(value = 10, unit = TimeUnit.SECONDS)
    void aStopEndsALongWaitAtOnce() {
        Retries patient = new Retries(new Backoff(Duration.ofMinutes(1), Backoff.CAP, new Random(1)), Duration.ofMinutes(5), log, stop, now::get);
        Thread main = Thread.currentThread();
        Thread signal = new Thread(() -> {
            while (main.getState() != Thread.State.TIMED_WAITING) { // the wait has begun
                Thread.onSpinWait();
            }
            stop.request("SIGTERM");
        });
        signal.start();
        assertThrows(Stop.Stopped.class, () -> patient.awaitNext(REFUSED));
        assertEquals(Thread.State.TERMINATED, joined(signal).getState());
    }

    private static Thread joined(Thread t) {
        try {
            t.join(5_000);
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
        return t;
    }
}
