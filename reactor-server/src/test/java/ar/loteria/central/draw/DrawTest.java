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
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The draw's state machine on a real reactor thread, with a draw that fails on demand. */
class DrawTest {
    /** Winners in memory, for the state machine's sake. */
    private static final class Listed implements DrawnWinners {
        private final Map<Integer, List<String>> winners;
        private final long bets;
        final AtomicBoolean closed = new AtomicBoolean();

        Listed(Map<Integer, List<String>> winners, long bets) {
            this.winners = winners;
            this.bets = bets;
        }

        @Override
        public long bets() {
            return bets;
        }

        @Override
        public long winners() {
            return winners.values().stream().mapToLong(List::size).sum();
        }

        @Override
        public long count(int agency) {
            return winners.getOrDefault(agency, List.of()).size();
        }

        @Override
        public Iterator<String> documents(int agency) {
            return winners.getOrDefault(agency, List.of()).iterator();
        }

        @Override
        public void close() {
            closed.set(true);
        }
    }

    /** A listener that completes {@code answer} with the documents, checking their count. */
    private static WinnersListener into(CompletableFuture<List<String>> answer) {
        return (count, documents) -> {
            List<String> all = new ArrayList<>();
            documents.forEachRemaining(all::add);
            assertEquals(count, all.size());
            answer.complete(all);
        };
    }

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

    /**
     * A draw that fails is fail-stop: the central is told once, to stop, and nobody is answered.
     * (It used to be tried again and again in the same process: with a heap too small for the
     * winners, or a damaged store, that could only fail again, and agencies waited forever.)
     */
    @Test
    void aDrawThatFailsStopsTheCentralOnceAndAnswersNobody() throws Exception {
        AtomicInteger attempts = new AtomicInteger();
        Draw.Bets failing = () -> {
            attempts.incrementAndGet();
            throw new IOException("Input/output error (injected)");
        };
        CompletableFuture<Void> stopped = new CompletableFuture<>();
        AtomicInteger damages = new AtomicInteger();
        Draw draw = new Draw(1, Set.of(), failing, workers, reactor::execute, new CentralLog(), () -> stopped.complete(null),
                damage -> damages.incrementAndGet());
        CompletableFuture<List<String>> parked = new CompletableFuture<>();
        onReactor(() -> {
            draw.query(1, into(parked));
            draw.agencyDone(1, 10);
        });
        stopped.get(10, TimeUnit.SECONDS);
        workers.shutdown();
        assertTrue(workers.awaitTermination(10, TimeUnit.SECONDS));
        onReactor(() -> { });
        assertEquals(1, attempts.get(), "drawn once, not again");
        assertNull(parked.getNow(null), "nobody is answered");
        assertEquals(0, damages.get(), "a disk that fails is not damage: the next start draws again");
    }

    @Test
    void aDrawAnswersParkedQueriesThenLaterOnesAtOnce() throws Exception {
        Draw draw = new Draw(1, Set.of(), () -> new Listed(Map.of(1, List.of("42", "7")), 10), workers, reactor::execute, new CentralLog(), () -> { }, damage -> { });
        CompletableFuture<List<String>> parked = new CompletableFuture<>();
        onReactor(() -> {
            draw.query(1, into(parked));
            draw.agencyDone(1, 10);
        });
        assertEquals(List.of("42", "7"), parked.get(10, TimeUnit.SECONDS));
        CompletableFuture<List<String>> later = new CompletableFuture<>();
        onReactor(() -> draw.query(1, into(later)));
        assertEquals(List.of("42", "7"), later.get(10, TimeUnit.SECONDS), "after the draw, at once");
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
        AtomicInteger failures = new AtomicInteger();
        Draw draw = new Draw(1, Set.of(), damaged, workers, reactor::execute, new CentralLog(), failures::incrementAndGet, damage -> {
            tellings.incrementAndGet();
            told.complete(damage);
        });
        CompletableFuture<List<String>> parked = new CompletableFuture<>();
        onReactor(() -> {
            draw.query(1, into(parked));
            draw.agencyDone(1, 10);
        });
        assertEquals("bets.csv bytes 0 to 10 do not match their checksum", told.get(10, TimeUnit.SECONDS).getMessage());
        workers.shutdown();
        assertTrue(workers.awaitTermination(10, TimeUnit.SECONDS));
        onReactor(() -> draw.query(1, into(parked)));
        onReactor(() -> { });
        assertEquals(1, attempts.get(), "tallied once");
        assertEquals(1, tellings.get());
        assertEquals(0, failures.get(), "damage takes its own path, not the one a restart fixes");
        assertNull(parked.getNow(null), "nobody is answered from damaged rows");
    }

    @Test
    void aCancelledTallyAnswersNobody() throws Exception {
        CompletableFuture<Void> started = new CompletableFuture<>();
        CompletableFuture<Void> release = new CompletableFuture<>();
        Draw[] draw = new Draw[1];
        Listed drawn = new Listed(Map.of(1, List.of("42")), 1);
        Draw.Bets slow = () -> {
            started.complete(null);
            release.join();
            return drawn;
        };
        draw[0] = new Draw(1, Set.of(), slow, workers, reactor::execute, new CentralLog(), () -> { }, damage -> { });
        CompletableFuture<List<String>> parked = new CompletableFuture<>();
        onReactor(() -> {
            draw[0].query(1, into(parked));
            draw[0].agencyDone(1, 1);
        });
        started.get(10, TimeUnit.SECONDS);
        draw[0].cancel();
        release.complete(null);
        workers.shutdown();
        workers.awaitTermination(10, TimeUnit.SECONDS);
        onReactor(() -> { });
        assertNull(parked.getNow(null), "no answer from a draw the next start redoes");
        assertTrue(drawn.closed.get(), "its winners file is let go");
    }

    @Test
    void agenciesDoneInAnEarlierRunDrawAtStart() throws Exception {
        Draw draw = new Draw(2, Set.of(1, 2, 9), () -> new Listed(Map.of(2, List.of("7")), 3), workers, reactor::execute, new CentralLog(), () -> { },
                damage -> { });
        CompletableFuture<List<String>> answer = new CompletableFuture<>();
        onReactor(() -> {
            draw.start();
            draw.query(2, into(answer));
        });
        assertEquals(List.of("7"), answer.get(10, TimeUnit.SECONDS));
    }

    /** The phases the draw enters, as the status view sees them. */
    private static final class Phases implements DrawEvents {
        final List<Draw.Phase> entered = new CopyOnWriteArrayList<>();

        @Override
        public void drawPhase(Draw.Phase phase, int agenciesDone) {
            entered.add(phase);
        }
    }

    @Test
    void theDrawGoesThroughItsPhasesInOrder() throws Exception {
        Phases drawn = new Phases();
        Draw draw = new Draw(2, Set.of(), () -> new Listed(Map.of(1, List.of("7")), 2), workers, reactor::execute, drawn, () -> { }, damage -> { });
        CompletableFuture<List<String>> answer = new CompletableFuture<>();
        onReactor(() -> {
            draw.agencyDone(1, 1);
            draw.query(1, into(answer));
            draw.agencyDone(2, 1);
            draw.agencyDone(2, 1); // told again: no second draw
        });
        answer.get(10, TimeUnit.SECONDS);
        assertEquals(List.of(Draw.Phase.TAKING_BETS, Draw.Phase.DRAWING, Draw.Phase.DRAWN), drawn.entered);

        Phases failed = new Phases();
        CompletableFuture<Void> stopped = new CompletableFuture<>();
        Draw failing = new Draw(1, Set.of(), () -> {
            throw new IOException("Input/output error (injected)");
        }, workers, reactor::execute, failed, () -> stopped.complete(null), damage -> { });
        onReactor(() -> failing.agencyDone(1, 1));
        stopped.get(10, TimeUnit.SECONDS);
        onReactor(() -> { }); // the failure's own transition was queued before the owner was told
        assertEquals(List.of(Draw.Phase.TAKING_BETS, Draw.Phase.DRAWING, Draw.Phase.FAILED), failed.entered);
    }

    /** Workers that stop before the draw starts leave it to the next start: the draw takes bets again, and answers nobody. */
    @Test
    void aDrawTheWorkersRefuseGoesBackToTakingBets() throws Exception {
        Phases phases = new Phases();
        Draw draw = new Draw(1, Set.of(), () -> new Listed(Map.of(1, List.of("7")), 1), workers, reactor::execute, phases, () -> { }, damage -> { });
        workers.shutdown();
        CompletableFuture<List<String>> parked = new CompletableFuture<>();
        onReactor(() -> {
            draw.query(1, into(parked));
            draw.agencyDone(1, 1);
        });
        assertEquals(List.of(Draw.Phase.TAKING_BETS, Draw.Phase.DRAWING, Draw.Phase.TAKING_BETS), phases.entered);
        assertNull(parked.getNow(null), "nobody is answered before a draw");
    }

    private static ReactorEvents quiet() {
        return new CentralLog();
    }
}
