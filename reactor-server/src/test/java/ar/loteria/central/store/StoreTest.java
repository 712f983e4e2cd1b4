package ar.loteria.central.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ar.loteria.central.CentralLog;
import ar.loteria.central.store.Outcome;
import ar.loteria.wire.AgencyMessage.BetBatch;
import ar.loteria.wire.Bet;
import ar.loteria.wire.ErrorCode;
import ar.loteria.wire.Frame;
import ar.loteria.wire.FrameEncoder;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoreTest {
    @TempDir
    Path dir;

    private final ExecutorService workers = Executors.newFixedThreadPool(2);
    private final AtomicReference<IOException> failure = new AtomicReference<>();

    @AfterEach
    void stopWorkers() {
        workers.shutdownNow();
    }

    private Store open() throws IOException {
        return Store.open(dir, new CentralLog(), workers, failure::set);
    }

    private Store open(FaultyFiles files) throws IOException {
        return Store.open(dir, new CentralLog(), workers, failure::set, BetWatch.NONE, files, Clock.systemDefaultZone());
    }

    /** Agency {@code agency}'s bets {@code from} to {@code to} - 1. */
    private static List<Bet> bets(int agency, int from, int to) {
        List<Bet> bets = new ArrayList<>();
        for (int i = from; i < to; i++) {
            bets.add(new Bet("Ana", "Paz", Integer.toString(agency * 100_000 + i), "1990-01-01", i % 4 == 0 ? 7574 : i));
        }
        return bets;
    }

    /** The payload of the batch's frame, as the reactor hands it over: the frame past its header. */
    static ByteBuffer payload(BetBatch batch) {
        return FrameEncoder.encode(batch).position(Frame.HEADER_BYTES);
    }

    static byte[] payloadBytes(BetBatch batch) {
        ByteBuffer payload = payload(batch);
        byte[] bytes = new byte[payload.remaining()];
        payload.get(bytes);
        return bytes;
    }

    private static CompletableFuture<Outcome> save(Store store, int agency, int from, int to) {
        CompletableFuture<Outcome> outcome = new CompletableFuture<>();
        store.saveBatch(agency, payload(new BetBatch(from, bets(agency, from, to))), outcome::complete);
        return outcome;
    }

    private static Outcome saved(Store store, int agency, int from, int to) throws Exception {
        return save(store, agency, from, to).get(10, TimeUnit.SECONDS);
    }

    private static Outcome done(Store store, int agency, long total) throws Exception {
        CompletableFuture<Outcome> outcome = new CompletableFuture<>();
        store.markDone(agency, total, outcome::complete);
        return outcome.get(10, TimeUnit.SECONDS);
    }

    private static ErrorCode rejection(Outcome outcome) {
        return assertInstanceOf(Outcome.Rejected.class, outcome).error().code();
    }

    private static List<String> documents(Store store) throws IOException {
        try (Stream<BetStorage.Bet> bets = BetStorage.loadBets(store.betsFile(), store.committedBytes())) {
            return bets.map(BetStorage.Bet::document).toList();
        }
    }

    private static List<String> documentsOf(int agency, int from, int to) {
        return bets(agency, from, to).stream().map(Bet::document).toList();
    }

    @Test
    void batchesAreJudgedByTheOffsetOfTheirBets() throws Exception {
        try (Store store = open()) {
            assertEquals(new Outcome.Accepted(0, 3, 3, 3), saved(store, 1, 0, 3));
            assertEquals(new Outcome.Accepted(0, 3, 3, 0), saved(store, 1, 0, 3), "a resend stores nothing");
            assertEquals(new Outcome.Accepted(1, 4, 5, 2), saved(store, 1, 1, 5), "an overlap stores the new part");
            assertEquals(ErrorCode.OFFSET_GAP, rejection(saved(store, 1, 6, 8)));
            assertEquals(new Outcome.Accepted(0, 2, 2, 2), saved(store, 2, 0, 2), "each agency has its own offsets");
            assertEquals(ErrorCode.OFFSET_MISMATCH, assertInstanceOf(Outcome.Refused.class, done(store, 1, 4)).error().code());
            assertEquals(new Outcome.Done(5, true), done(store, 1, 5));
            assertEquals(new Outcome.Done(5, false), done(store, 1, 5));
            assertEquals(ErrorCode.BETS_CLOSED, rejection(saved(store, 1, 5, 6)));
            assertEquals(new Outcome.Accepted(2, 2, 5, 0), saved(store, 1, 2, 4), "a late resend is still acknowledged");
            List<String> expected = new ArrayList<>(documentsOf(1, 0, 5));
            expected.addAll(documentsOf(2, 0, 2));
            assertEquals(expected.size(), documents(store).size(), "each bet once");
            assertEquals(Set.copyOf(expected), Set.copyOf(documents(store)));
            assertEquals(Set.of(1), store.doneAgencies());
            assertEquals(new Progress(5, true), store.progress(1));
            assertEquals(new Progress(2, false), store.progress(2));
        }
    }

    @Test
    void aBatchInAReusedArrayStoresOnlyItsOwnBets() throws Exception {
        try (Store store = open()) {
            // One at a time, so each batch's arrays are back in the pool before the next takes them:
            // a long batch, then shorter ones in arrays that still hold its bytes past their end.
            assertEquals(new Outcome.Accepted(0, 20, 20, 20), saved(store, 1, 0, 20));
            assertEquals(new Outcome.Accepted(20, 1, 21, 1), saved(store, 1, 20, 21));
            assertEquals(new Outcome.Accepted(21, 3, 24, 3), saved(store, 1, 21, 24));
            assertEquals(new Outcome.Accepted(0, 2, 2, 2), saved(store, 2, 0, 2));
            List<String> expected = new ArrayList<>(documentsOf(1, 0, 24));
            expected.addAll(documentsOf(2, 0, 2));
            assertEquals(expected, documents(store), "every bet once, in order, nothing left over from an earlier batch");
        }
    }

    @Test
    void anInvalidBetRejectsItsBatchAndStoresNothingOfIt() throws Exception {
        try (Store store = open()) {
            List<Bet> bets = new ArrayList<>(bets(1, 0, 3));
            bets.set(1, new Bet("Ana", "Paz", "12", "2999-01-01", 1));
            CompletableFuture<Outcome> outcome = new CompletableFuture<>();
            store.saveBatch(1, payload(new BetBatch(0, bets)), outcome::complete);
            Outcome.Rejected rejected = assertInstanceOf(Outcome.Rejected.class, outcome.get(10, TimeUnit.SECONDS));
            assertEquals("bet 2: birthdate 2999-01-01 is in the future", rejected.error().reason());
            assertEquals(List.of(), documents(store));
            assertEquals(new Progress(0, false), store.progress(1));
        }
    }

    /**
     * A central set to Buenos Aires at 22:00 on March 10th takes a birthdate of the 11th: it is the
     * 11th in UTC+14 already, and an agency there may send it. The 12th has come nowhere yet.
     */
    @Test
    void aBirthdateIsInTheFutureOnlyWhileItsDateHasComeNowhereOnEarth() throws Exception {
        Clock evening = Clock.fixed(Instant.parse("2024-03-11T01:00:00Z"), ZoneId.of("America/Argentina/Buenos_Aires"));
        try (Store store = Store.open(dir, new CentralLog(), workers, failure::set, BetWatch.NONE, FileChannel::open, evening)) {
            CompletableFuture<Outcome> today = new CompletableFuture<>();
            store.saveBatch(1, payload(new BetBatch(0, List.of(new Bet("Ana", "Paz", "12", "2024-03-11", 1)))), today::complete);
            assertEquals(new Outcome.Accepted(0, 1, 1, 1), today.get(10, TimeUnit.SECONDS));
            CompletableFuture<Outcome> tomorrow = new CompletableFuture<>();
            store.saveBatch(1, payload(new BetBatch(1, List.of(new Bet("Ana", "Paz", "13", "2024-03-12", 1)))), tomorrow::complete);
            assertEquals("bet 1: birthdate 2024-03-12 is in the future",
                    assertInstanceOf(Outcome.Rejected.class, tomorrow.get(10, TimeUnit.SECONDS)).error().reason());
            assertEquals(List.of("12"), documents(store));
        }
    }

    @Test
    void manyBatchesFromManyThreadsAreEachStoredOnceAndAnsweredInTheOrderTheyCame() throws Exception {
        try (Store store = open()) {
            List<CompletableFuture<Outcome>> outcomes = new ArrayList<>();
            for (int i = 0; i < 500; i++) {
                outcomes.add(save(store, 1 + i % 5, (i / 5) * 10, (i / 5) * 10 + 10));
            }
            for (int i = 0; i < 500; i++) {
                int first = (i / 5) * 10;
                assertEquals(new Outcome.Accepted(first, 10, first + 10, 10), outcomes.get(i).get(10, TimeUnit.SECONDS), "batch " + i);
            }
            assertEquals(5_000, documents(store).size());
            assertEquals(5_000, Set.copyOf(documents(store)).size());
        }
    }

    @Test
    void afterACrashRowsWrittenAfterTheLastCommitAndATornRecordAreCut() throws Exception {
        try (Store store = open()) {
            saved(store, 1, 0, 4);
            done(store, 2, 0);
        }
        StoreFiles.crashed(dir);
        long committed = Files.size(dir.resolve(Store.BETS_FILE));
        // A crash between the write of a group's rows and its commit record leaves both torn.
        Files.writeString(dir.resolve(Store.BETS_FILE), "1,Torn,Row,123,1990-01-01,7574\r\n1,Half", StandardOpenOption.APPEND);
        try (FileChannel commits = FileChannel.open(dir.resolve(Store.COMMITS_FILE), StandardOpenOption.APPEND)) {
            commits.write(ByteBuffer.wrap(new byte[] {0, 0, 0, 25, 1, 2}));
        }
        try (Store store = open()) {
            assertEquals(committed, Files.size(dir.resolve(Store.BETS_FILE)));
            assertEquals(documentsOf(1, 0, 4), documents(store));
            assertEquals(Set.of(2), store.doneAgencies());
            assertEquals(new Outcome.Accepted(0, 4, 4, 0), saved(store, 1, 0, 4));
            assertEquals(new Outcome.Accepted(4, 1, 5, 1), saved(store, 1, 4, 5));
        }
    }

    /** The same bytes after a clean stop are not a crash's: nothing is cut, the store is refused. */
    @Test
    void afterACleanStopATornTailIsDamageAndNothingIsCut() throws Exception {
        try (Store store = open()) {
            saved(store, 1, 0, 4);
        }
        Files.writeString(dir.resolve(Store.BETS_FILE), "1,Torn,Row,123,1990-01-01,7574\r\n", StandardOpenOption.APPEND);
        byte[] csv = Files.readAllBytes(dir.resolve(Store.BETS_FILE));
        IOException refused = assertThrows(Damaged.class, this::open);
        assertTrue(refused.getMessage().startsWith("bets.csv holds " + csv.length + " bytes but held " + (csv.length - 32)
                + " when the central stopped cleanly: something wrote to it from byte " + (csv.length - 32)), refused.getMessage());
        assertArrayEquals(csv, Files.readAllBytes(dir.resolve(Store.BETS_FILE)), "nothing was cut");
    }

    /** A whole record whose bytes changed is damage, even the last one, even after a crash: its commit was acknowledged. */
    @Test
    void aDamagedLastRecordIsRefusedEvenAfterACrash() throws Exception {
        try (Store store = open()) {
            saved(store, 1, 0, 2);
            done(store, 1, 2);
        }
        StoreFiles.crashed(dir);
        Path commits = dir.resolve(Store.COMMITS_FILE);
        StoreFiles.flip(commits, Files.size(commits) - 1, 0x01); // in the record of agency 1's ALL_SENT
        IOException refused = assertThrows(Damaged.class, this::open);
        assertTrue(refused.getMessage().matches("bets.commits is damaged: the body of the record at byte \\d+ does not match its checksum"),
                refused.getMessage());
    }

    /** A changed length in the last record's header would make it look cut short by a crash: its header's checksum tells. */
    @Test
    void aChangedLengthInTheLastRecordIsNotMistakenForATornWrite() throws Exception {
        try (Store store = open()) {
            saved(store, 1, 0, 2);
            saved(store, 1, 2, 4);
        }
        StoreFiles.crashed(dir);
        Path commits = dir.resolve(Store.COMMITS_FILE);
        long last = Files.size(commits) - (CommitLog.HEADER + CommitLog.BODY_PREFIX + CommitLog.ENTRY);
        StoreFiles.flip(commits, last + 2, 0x01); // the body length grows by 256: the record now "ends" past the file
        IOException refused = assertThrows(Damaged.class, this::open);
        assertEquals("bets.commits is damaged: the header of the record at byte " + last + " does not match its checksum", refused.getMessage());
    }

    /** A bad record followed by intact ones is not a torn write: cutting there would lose acknowledged bets. */
    @Test
    void aDamagedRecordWithIntactOnesAfterItRefusesToStart() throws Exception {
        try (Store store = open()) {
            saved(store, 1, 0, 2);
            saved(store, 1, 2, 4);
            saved(store, 1, 4, 6);
        }
        Path commits = dir.resolve(Store.COMMITS_FILE);
        byte[] bytes = Files.readAllBytes(commits);
        bytes[CommitLog.MAGIC.length + CommitLog.HEADER + 3] ^= 0x55; // inside the first record's body
        Files.write(commits, bytes);
        long csvBefore = Files.size(dir.resolve(Store.BETS_FILE));
        IOException refused = assertThrows(IOException.class, this::open);
        assertEquals("bets.commits is damaged: the body of the record at byte 18 does not match its checksum", refused.getMessage());
        assertEquals(bytes.length, Files.size(commits), "nothing was cut");
        assertEquals(csvBefore, Files.size(dir.resolve(Store.BETS_FILE)));
    }

    @Test
    void aLogCutInsideItsOwnHeaderBeforeAnyBetIsANewStore() throws Exception {
        Files.write(dir.resolve(Store.COMMITS_FILE), java.util.Arrays.copyOf(CommitLog.MAGIC, 7)); // died writing the header
        Files.write(dir.resolve(Store.BETS_FILE), new byte[0]);
        try (Store store = open()) {
            assertEquals(new Outcome.Accepted(0, 2, 2, 2), saved(store, 1, 0, 2));
        }
        try (Store store = open()) {
            assertEquals(documentsOf(1, 0, 2), documents(store));
        }
    }

    @Test
    void aBetsFileWithoutItsCommitLogIsNotTrusted() throws Exception {
        Files.writeString(dir.resolve(Store.BETS_FILE), "1,Ana,Paz,1,1990-01-01,1\r\n", StandardCharsets.UTF_8);
        IOException refused = assertThrows(IOException.class, this::open);
        assertEquals("bets.commits is missing: acknowledged bets may be lost", refused.getMessage());
    }

    @Test
    void aCommitLogOfTheVersionBeforeIsRefusedClearly() throws Exception {
        Files.write(dir.resolve(Store.COMMITS_FILE), CommitLog.MAGIC_V2);
        Files.write(dir.resolve(Store.BETS_FILE), new byte[0]);
        StoreFiles.crashed(dir);
        IOException refused = assertThrows(IOException.class, this::open);
        assertTrue(refused.getMessage().startsWith("bets.commits is a version-2 commit log, without checksums of bets.csv"), refused.getMessage());
    }

    @Test
    void aBetsFileShorterThanItsCommitsIsReportedAsDamaged() throws Exception {
        try (Store store = open()) {
            saved(store, 1, 0, 2);
        }
        StoreFiles.crashed(dir);
        try (FileChannel csv = FileChannel.open(dir.resolve(Store.BETS_FILE), StandardOpenOption.WRITE)) {
            csv.truncate(10);
        }
        IOException refused = assertThrows(IOException.class, this::open);
        assertTrue(refused.getMessage().contains("acknowledged bets are missing"), refused.getMessage());
    }

    /**
     * A disk that fails under a group: nothing in that group or after it is acknowledged, even a
     * resend of bets stored before; the owner hears of it; a restart keeps exactly what was
     * committed.
     */
    @Test
    void aGroupThatFailsToReachTheDiskAcknowledgesNothingAndTheOwnerIsTold() throws Exception {
        FaultyFiles files = new FaultyFiles();
        try (Store store = open(files)) {
            assertEquals(new Outcome.Accepted(0, 2, 2, 2), saved(store, 1, 0, 2));
            files.failAfter(0, "No space left on device");
            Outcome failed = saved(store, 1, 2, 4);
            assertEquals(ErrorCode.SHUTTING_DOWN, assertInstanceOf(Outcome.Unavailable.class, failed).error().code());
            assertTrue(failure.get() != null && failure.get().getMessage().contains("No space left on device"));
            assertInstanceOf(Outcome.Unavailable.class, saved(store, 1, 0, 2), "not even a resend of what is stored");
            assertInstanceOf(Outcome.Unavailable.class, done(store, 1, 2));
        }
        try (Store store = open()) {
            assertEquals(documentsOf(1, 0, 2), documents(store), "after a restart, exactly what was committed");
            assertEquals(new Outcome.Accepted(2, 2, 4, 2), saved(store, 1, 2, 4));
        }
    }

    /** The commit record's write fails after the rows were written: still nothing acknowledged, and recovery cuts the rows. */
    @Test
    void aFailedCommitRecordLeavesRowsThatRecoveryCuts() throws Exception {
        FaultyFiles files = new FaultyFiles();
        try (Store store = open(files)) {
            saved(store, 1, 0, 2);
            files.failAfter(1, "Input/output error"); // the rows' write passes, the record's write fails
            assertInstanceOf(Outcome.Unavailable.class, saved(store, 1, 2, 4));
        }
        try (Store store = open()) {
            assertEquals(documentsOf(1, 0, 2), documents(store));
        }
    }

    /**
     * The rows' force fails while the record that covers them is forced beside them: the record
     * is cut back, so that a restart does not trust rows the disk may not hold (after a failed
     * fsync the page cache may still show them); nothing was acknowledged.
     */
    @Test
    void aFailedForceOfTheRowsTakesBackTheirRecord() throws Exception {
        FaultyFiles files = new FaultyFiles();
        long logBefore;
        try (Store store = open(files)) {
            saved(store, 1, 0, 2);
            logBefore = Files.size(dir.resolve(Store.COMMITS_FILE));
            files.failForcesOf(Store.BETS_FILE, "Input/output error");
            assertInstanceOf(Outcome.Unavailable.class, saved(store, 1, 2, 4));
            assertEquals(logBefore, Files.size(dir.resolve(Store.COMMITS_FILE)), "the record of the failed group is cut back");
        }
        try (Store store = open()) {
            assertEquals(documentsOf(1, 0, 2), documents(store), "after a restart, what was committed before");
        }
    }

    @Test
    void requestsOutliveAStoreThatCloses() throws Exception {
        LinkedBlockingQueue<Outcome> outcomes = new LinkedBlockingQueue<>();
        Store store = open();
        store.close();
        store.saveBatch(1, payload(new BetBatch(0, bets(1, 0, 1))), outcomes::add);
        assertInstanceOf(Outcome.Unavailable.class, outcomes.poll(10, TimeUnit.SECONDS), "answered, never stranded");
    }
}
