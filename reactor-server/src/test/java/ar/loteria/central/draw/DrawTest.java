package ar.loteria.central.draw;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ar.loteria.central.CentralLog;
import ar.loteria.central.reactor.Limits;
import ar.loteria.central.reactor.Reactor;
import ar.loteria.central.reactor.ReactorEvents;
import ar.loteria.central.store.Damaged;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The draw's state machine on a real reactor thread, with a tally that fails on demand. */
class DrawTest {
    private final ExecutorService workers = Executors.newFixedThreadPool(1);
    private Reactor reactor;
    private Thread loop;

    @BeforeEach
    void startReactor() throws IOException {
        Duration t = Duration.ofSeconds(30);
        reactor = Reactor.open(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8, new Limits(10, 10, t, t, t), quiet());
        loop = new Thread(() -> {
            try {
                reactor.run(connection -> null);
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });
        loop.start();
    }

    @AfterEach
    void stopReactor() throws Exception {
        reactor.stop();
        loop.join(5_000);
        reactor.closeListener();
        reactor.closeSelector();
        workers.shutdownNow();
    }

    /** Runs {@code action} on the reactor thread and waits for it. */
    private void onReactor(Runnable action) throws Exception {
        CompletableFuture<Void> done = new CompletableFuture<>();
        reactor.execute(() -> {
            action.run();
            done.complete(null);
        });
        done.get(10, TimeUnit.SECONDS);
    }

    @Test
    void aTallyThatFailsIsTriedAgainAndParkedQueriesAreAnsweredWhenOneSucceeds() throws Exception {
        AtomicInteger attempts = new AtomicInteger();
        Draw.Bets flaky = () -> {
            if (attempts.incrementAndGet() < 3) {
                throw new IOException("Input/output error (injected)");
            }
            return new Tally.Result(Map.of(1, List.of("42")), 10);
        };
        Draw draw = new Draw(1, Set.of(), flaky, workers, reactor, new CentralLog(), damage -> { });
        CompletableFuture<List<String>> parked = new CompletableFuture<>();
        onReactor(() -> {
            draw.query(1, parked::complete);
            draw.agencyDone(1, 10);
        });
        assertEquals(List.of("42"), parked.get(10, TimeUnit.SECONDS), "answered after two failed tallies");
        assertEquals(3, attempts.get());
        CompletableFuture<List<String>> later = new CompletableFuture<>();
        onReactor(() -> draw.query(1, later::complete));
        assertEquals(List.of("42"), later.get(10, TimeUnit.SECONDS), "after the draw, at once");
    }

    /** A damaged store is not a passing failure: never tallied again, the owner told once, nobody answered from it. */
    @Test
    void aTallyThatFindsTheRowsDamagedIsNeverTriedAgain() throws Exception {
        AtomicInteger attempts = new AtomicInteger();
        Draw.Bets damaged = () -> {
            attempts.incrementAndGet();
            throw new Damaged("bets.csv bytes 0 to 10 do not match their checksum");
        };
        CompletableFuture<Damaged> told = new CompletableFuture<>();
        AtomicInteger tellings = new AtomicInteger();
        Draw draw = new Draw(1, Set.of(), damaged, workers, reactor, new CentralLog(), damage -> {
            tellings.incrementAndGet();
            told.complete(damage);
        });
        CompletableFuture<List<String>> parked = new CompletableFuture<>();
        onReactor(() -> {
            draw.query(1, parked::complete);
            draw.agencyDone(1, 10);
        });
        assertEquals("bets.csv bytes 0 to 10 do not match their checksum", told.get(10, TimeUnit.SECONDS).getMessage());
        workers.shutdown();
        assertTrue(workers.awaitTermination(10, TimeUnit.SECONDS));
        onReactor(() -> draw.query(1, parked::complete));
        onReactor(() -> { });
        assertEquals(1, attempts.get(), "tallied once");
        assertEquals(1, tellings.get());
        assertNull(parked.getNow(null), "nobody is answered from damaged rows");
    }

    @Test
    void aCancelledTallyAnswersNobody() throws Exception {
        CompletableFuture<Void> started = new CompletableFuture<>();
        CompletableFuture<Void> release = new CompletableFuture<>();
        Draw[] draw = new Draw[1];
        Draw.Bets slow = () -> {
            started.complete(null);
            release.join();
            return new Tally.Result(Map.of(1, List.of("42")), 1);
        };
        draw[0] = new Draw(1, Set.of(), slow, workers, reactor, new CentralLog(), damage -> { });
        CompletableFuture<List<String>> parked = new CompletableFuture<>();
        onReactor(() -> {
            draw[0].query(1, parked::complete);
            draw[0].agencyDone(1, 1);
        });
        started.get(10, TimeUnit.SECONDS);
        draw[0].cancel();
        release.complete(null);
        workers.shutdown();
        workers.awaitTermination(10, TimeUnit.SECONDS);
        onReactor(() -> { });
        assertNull(parked.getNow(null), "no answer from a draw the next start redoes");
    }

    @Test
    void agenciesDoneInAnEarlierRunDrawAtStart() throws Exception {
        Draw draw = new Draw(2, Set.of(1, 2, 9), () -> new Tally.Result(Map.of(2, List.of("7")), 3), workers, reactor, new CentralLog(), damage -> { });
        CompletableFuture<List<String>> answer = new CompletableFuture<>();
        onReactor(() -> {
            draw.start();
            draw.query(2, answer::complete);
        });
        assertEquals(List.of("7"), answer.get(10, TimeUnit.SECONDS));
    }

    private static ReactorEvents quiet() {
        return new CentralLog();
    }
}
