package ar.loteria.central.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ar.loteria.central.CentralLog;
import ar.loteria.central.store.Store.Outcome;
import ar.loteria.wire.AgencyMessage.BetBatch;
import ar.loteria.wire.Bet;
import ar.loteria.wire.ErrorCode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoreTest {
    @TempDir
    Path dir;

    /** Runs commits on the calling thread, so that each call returns with its outcome. */
    private Store open() throws IOException {
        return Store.open(dir, new CentralLog(), Runnable::run);
    }

    private static BetBatch batch(long sequence, int count) {
        List<Bet> bets = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            bets.add(new Bet("Ana", "Paz", sequence + "0" + i, "1990-01-01", i == 0 ? 7574 : i));
        }
        return new BetBatch(sequence, bets);
    }

    private static Outcome save(Store store, int agency, BetBatch batch) {
        AtomicReference<Outcome> outcome = new AtomicReference<>();
        store.saveBatch(agency, batch, outcome::set);
        return outcome.get();
    }

    private static Outcome done(Store store, int agency, long last) {
        AtomicReference<Outcome> outcome = new AtomicReference<>();
        store.markDone(agency, last, outcome::set);
        return outcome.get();
    }

    private static ErrorCode rejection(Outcome outcome) {
        return ((Outcome.Rejected) outcome).error().code();
    }

    private long storedRows(Store store) throws IOException {
        try (Stream<BetStorage.Bet> bets = store.loadBets()) {
            return bets.count();
        }
    }

    @Test
    void batchesFollowTheirAgencysSequence() throws Exception {
        try (Store store = open()) {
            assertEquals(new Outcome.Stored(3), save(store, 1, batch(1, 3)));
            assertEquals(new Outcome.AlreadyStored(3), save(store, 1, batch(1, 3)));
            assertEquals(ErrorCode.SEQUENCE_GAP, rejection(save(store, 1, batch(3, 3))));
            assertEquals(new Outcome.Stored(2), save(store, 2, batch(1, 2)), "each agency has its own sequence");
            assertEquals(ErrorCode.SEQUENCE_MISMATCH, rejection(done(store, 1, 2)));
            assertEquals(new Outcome.AgencyDone(1, true), done(store, 1, 1));
            assertEquals(new Outcome.AgencyDone(1, false), done(store, 1, 1));
            assertEquals(ErrorCode.BETS_CLOSED, rejection(save(store, 1, batch(2, 3))));
            assertEquals(new Outcome.AlreadyStored(3), save(store, 1, batch(1, 3)), "a late resend is still acknowledged");
            assertEquals(5, storedRows(store));
            assertEquals(Set.of(1), store.doneAgencies());
        }
    }

    @Test
    void rowsWrittenAfterTheLastCommitAreDroppedOnRecovery() throws Exception {
        try (Store store = open()) {
            save(store, 1, batch(1, 4));
            done(store, 2, 0);
        }
        long committed = Files.size(dir.resolve(Store.BETS_FILE));
        // A crash between the write of a group's rows and its commit record leaves both torn.
        Files.writeString(dir.resolve(Store.BETS_FILE), "1,Torn,Row,123,1990-01-01,7574\r\n1,Half", StandardOpenOption.APPEND);
        try (FileChannel commits = FileChannel.open(dir.resolve(Store.COMMITS_FILE), StandardOpenOption.APPEND)) {
            commits.write(ByteBuffer.wrap(new byte[] {0, 0, 0, 19, 1, 2}));
        }
        try (Store store = open()) {
            assertEquals(committed, Files.size(dir.resolve(Store.BETS_FILE)));
            assertEquals(4, storedRows(store));
            assertEquals(Set.of(2), store.doneAgencies());
            assertEquals(new Outcome.AlreadyStored(4), save(store, 1, batch(1, 4)));
            assertEquals(new Outcome.Stored(1), save(store, 1, batch(2, 1)));
        }
    }

    @Test
    void aCorruptCommitRecordEndsRecoveryThere() throws Exception {
        try (Store store = open()) {
            save(store, 1, batch(1, 2));
            save(store, 1, batch(2, 2));
        }
        Path commits = dir.resolve(Store.COMMITS_FILE);
        byte[] bytes = Files.readAllBytes(commits);
        bytes[bytes.length - 1] ^= 0x55; // flips bits in the last record's body: its CRC no longer matches
        Files.write(commits, bytes);
        try (Store store = open()) {
            assertEquals(2, storedRows(store));
            assertEquals(new Outcome.Stored(2), save(store, 1, batch(2, 2)));
        }
    }

    @Test
    void aBetsFileWithoutItsCommitLogIsNotTrusted() throws Exception {
        Files.writeString(dir.resolve(Store.BETS_FILE), "1,Ana,Paz,1,1990-01-01,1\r\n", StandardCharsets.UTF_8);
        IOException refused = assertThrows(IOException.class, this::open);
        assertTrue(refused.getMessage().contains("without its commit log"), refused.getMessage());
    }

    @Test
    void aBetsFileShorterThanItsCommitsIsReportedAsDamaged() throws Exception {
        try (Store store = open()) {
            save(store, 1, batch(1, 2));
        }
        try (FileChannel csv = FileChannel.open(dir.resolve(Store.BETS_FILE), StandardOpenOption.WRITE)) {
            csv.truncate(10);
        }
        IOException refused = assertThrows(IOException.class, this::open);
        assertTrue(refused.getMessage().contains("damaged"), refused.getMessage());
    }

    @Test
    void aRequestQueuedWhileAnotherThreadHoldsTheStoreIsStillCommitted() throws Exception {
        ExecutorService workers = Executors.newFixedThreadPool(2);
        AtomicBoolean reading = new AtomicBoolean(true);
        try (Store store = Store.open(dir, new CentralLog(), workers)) {
            // Readers, as the draw and the start-up are: between them they hold the writer lock often.
            Thread reader = new Thread(() -> {
                while (reading.get()) {
                    store.doneAgencies();
                    try (Stream<BetStorage.Bet> bets = store.loadBets()) {
                        bets.count();
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
            });
            reader.start();
            for (int i = 1; i <= 2_000; i++) {
                LinkedBlockingQueue<Outcome> outcome = new LinkedBlockingQueue<>();
                store.saveBatch(1, batch(i, 1), outcome::add);
                assertEquals(new Outcome.Stored(1), outcome.poll(10, TimeUnit.SECONDS), "request " + i + " stranded");
            }
            reading.set(false);
            reader.join();
        } finally {
            reading.set(false);
            workers.shutdownNow();
        }
    }

    @Test
    void aGroupThatFailsToReachTheDiskAcknowledgesNothingInIt() throws Exception {
        List<Runnable> queued = new ArrayList<>();
        try (Store store = Store.open(dir, new CentralLog(), queued::add)) {
            store.saveBatch(1, batch(1, 1), o -> { });
            queued.remove(0).run();
            queued.clear();
            closeTheBetsFile(store); // the disk fails
            AtomicReference<Outcome> next = new AtomicReference<>();
            AtomicReference<Outcome> resentOld = new AtomicReference<>();
            AtomicReference<Outcome> resentNew = new AtomicReference<>();
            store.saveBatch(1, batch(2, 1), next::set);
            store.saveBatch(1, batch(1, 1), resentOld::set); // stored before, yet judged in a group that failed
            store.saveBatch(1, batch(2, 1), resentNew::set); // judged "already stored" against the failed group's draft
            queued.get(0).run();
            for (Outcome o : List.of(next.get(), resentOld.get(), resentNew.get())) {
                assertEquals(ErrorCode.STORE_FAILURE, rejection(o));
            }
        }
        try (Store store = open()) {
            assertEquals(1, storedRows(store), "after a restart, only what was committed");
        }
    }

    /** Fault injection: the file under the store closes, as a failing disk would make writes fail. */
    private static void closeTheBetsFile(Store store) throws Exception {
        Field storage = Store.class.getDeclaredField("storage");
        storage.setAccessible(true);
        ((BetStorage) storage.get(store)).close();
    }
}
