package ar.loteria.central.draw;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ar.loteria.central.CentralLog;
import ar.loteria.central.store.BetStorage;
import ar.loteria.central.store.Outcome;
import ar.loteria.central.store.Store;
import ar.loteria.wire.AgencyMessage.BetBatch;
import ar.loteria.wire.Bet;
import ar.loteria.wire.Frame;
import ar.loteria.wire.FrameEncoder;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The draw answers from the rows on disk at start, read back and checked, and from those this run
 * committed, noted as they became durable: together, exactly what the course's load_bets and
 * has_won find in bets.csv, resends and restarts included.
 */
class StoredBetsTest {
    private static final int AGENCIES = 3;

    @TempDir
    Path dir;

    private final ExecutorService workers = Executors.newFixedThreadPool(2);

    @AfterEach
    void stopWorkers() {
        workers.shutdownNow();
    }

    @Test
    void aRunThatStartedEmptyDrawsWhatTheCourseHelpersFind() throws Exception {
        RunningTally running = new RunningTally(dir);
        try (Store store = Store.open(dir, new CentralLog(), workers, e -> { }, running)) {
            storeWithResends(store, 0, 900);
            assertSameAsTheCourseHelpers(store, running, 900);
        }
    }

    @Test
    void aRunAfterARestartDrawsTheRowsOnDiskAndThoseItCommitted() throws Exception {
        try (Store first = Store.open(dir, new CentralLog(), workers, e -> { }, new RunningTally(dir))) {
            storeWithResends(first, 0, 500);
        }
        RunningTally running = new RunningTally(dir);
        try (Store store = Store.open(dir, new CentralLog(), workers, e -> { }, running)) {
            storeWithResends(store, 500, 1_200); // each agency resends from 480: winners already on disk come again
            assertSameAsTheCourseHelpers(store, running, 1_200);
        }
    }

    /** Each agency's bets {@code from} to {@code to}, in batches of 40 that overlap the last by 20, after a resend of 20 already stored. */
    private void storeWithResends(Store store, int from, int to) throws Exception {
        for (int agency = 1; agency <= AGENCIES; agency++) {
            for (int first = Math.max(0, from - 20); first < to; first += 20) {
                Outcome outcome = save(store, agency, first, Math.min(to, first + 40));
                assertInstanceOf(Outcome.Accepted.class, outcome);
            }
        }
    }

    /** A store that a running tally did not watch from its start: the draw refuses to answer part of it. */
    @Test
    void aDrawThatDoesNotCoverEveryStoredBetIsNoAnswer() throws Exception {
        RunningTally running = new RunningTally(dir);
        try (Store store = Store.open(dir, new CentralLog(), workers, e -> { })) { // not watched
            storeWithResends(store, 0, 40);
            IOException e = assertThrows(IOException.class,
                    () -> new StoredBets(store.betsFile(), store.recoveredGroups(), running, workers, 2, () -> AGENCIES * 40L).draw());
            assertTrue(e.getMessage().contains("the store holds " + AGENCIES * 40), e.getMessage());
        }
    }

    private void assertSameAsTheCourseHelpers(Store store, RunningTally running, long bets) throws Exception {
        Map<Integer, List<String>> expected = BetStorage.winnersByAgency(store.betsFile());
        try (DrawnWinners drawn = new StoredBets(store.betsFile(), store.recoveredGroups(), running, workers, 2, () -> AGENCIES * bets).draw()) {
            Map<Integer, List<String>> answered = new HashMap<>();
            for (int agency = 1; agency <= AGENCIES; agency++) {
                List<String> documents = new ArrayList<>();
                drawn.documents(agency).forEachRemaining(documents::add);
                assertEquals(documents.size(), drawn.count(agency));
                answered.put(agency, documents);
            }
            assertEquals(expected, answered);
            assertEquals(AGENCIES * bets, drawn.bets());
        }
    }

    /** One bet in seven wins; documents tell agency and offset apart. */
    private static Outcome save(Store store, int agency, int from, int to) throws Exception {
        List<Bet> bets = new ArrayList<>();
        for (int i = from; i < to; i++) {
            bets.add(new Bet("Ana, María", "Paz", Integer.toString(agency * 100_000 + i), "1990-01-01", i % 7 == 0 ? 7574 : i % 9_999));
        }
        ByteBuffer frame = FrameEncoder.encode(new BetBatch(from, bets));
        byte[] payload = new byte[frame.remaining() - Frame.HEADER_BYTES];
        frame.position(Frame.HEADER_BYTES).get(payload);
        CompletableFuture<Outcome> outcome = new CompletableFuture<>();
        store.saveBatch(agency, ByteBuffer.wrap(payload), outcome::complete);
        return outcome.get(10, TimeUnit.SECONDS);
    }
}
