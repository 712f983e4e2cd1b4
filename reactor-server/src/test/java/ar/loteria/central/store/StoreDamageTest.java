package ar.loteria.central.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ar.loteria.central.CentralLog;
import ar.loteria.central.draw.SpilledWinners;
import ar.loteria.central.draw.DiskTally;
import ar.loteria.central.draw.Tallied;
import ar.loteria.wire.AgencyMessage.BetBatch;
import ar.loteria.wire.Bet;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every way the store's files can be damaged, after a clean stop and after a crash: the store
 * either refuses to open, saying what and where, and changes no byte; or, for what a crash
 * really leaves, recovers the very rows that were committed, and the draw finds the same winners.
 * It never opens on changed rows.
 */
class StoreDamageTest {
    private static final int AGENCIES = 3;
    private static final int BETS = 60;

    @TempDir
    Path dir;

    private final ExecutorService workers = Executors.newFixedThreadPool(2);
    private Map<Integer, List<String>> winners;
    private byte[] csvBytes;

    @AfterEach
    void stopWorkers() {
        workers.shutdownNow();
    }

    private Store open() throws IOException {
        return Store.open(dir, new CentralLog(), workers, e -> { });
    }

    /** Three agencies, ten bets a batch, a group each, every agency done; closed cleanly. */
    @BeforeEach
    void aStoreOfThreeAgencies() throws Exception {
        try (Store store = open()) {
            for (int first = 0; first < BETS; first += 10) {
                for (int agency = 1; agency <= AGENCIES; agency++) {
                    List<Bet> bets = new ArrayList<>();
                    for (int i = first; i < first + 10; i++) {
                        bets.add(new Bet("Ana", "Paz", Integer.toString(agency * 100_000 + i), "1990-01-01", i % 7 == 0 ? 7574 : 1000 + i));
                    }
                    CompletableFuture<Outcome> outcome = new CompletableFuture<>();
                    store.saveBatch(agency, StoreTest.payload(new BetBatch(first, bets)), outcome::complete);
                    assertTrue(outcome.get(10, TimeUnit.SECONDS) instanceof Outcome.Accepted);
                }
            }
            for (int agency = 1; agency <= AGENCIES; agency++) {
                CompletableFuture<Outcome> outcome = new CompletableFuture<>();
                store.markDone(agency, BETS, outcome::complete);
                assertEquals(new Outcome.Done(BETS, true), outcome.get(10, TimeUnit.SECONDS));
            }
        }
        try (Store store = open()) { // the rows read back as a later start's draw reads them
            winners = SpilledWinners.of(DiskTally.of(store.betsFile(), store.recoveredGroups()));
        }
        csvBytes = Files.readAllBytes(csv());
    }

    private Path csv() {
        return dir.resolve(Store.BETS_FILE);
    }

    private Path commits() {
        return dir.resolve(Store.COMMITS_FILE);
    }

    private static void truncate(Path file, long size) throws IOException {
        try (FileChannel f = FileChannel.open(file, StandardOpenOption.WRITE)) {
            f.truncate(size);
        }
    }

    /** The offset of {@code text} in {@code bytes}, from {@code from}. */
    private static int find(byte[] bytes, String text, int from) {
        String s = new String(bytes, StandardCharsets.ISO_8859_1);
        int at = s.indexOf(text, from);
        assertTrue(at >= 0, text);
        return at;
    }

    /** Where each record of the log starts, and its end last. */
    private List<Long> recordStarts() throws IOException {
        List<Long> starts = new ArrayList<>();
        try (FileChannel file = FileChannel.open(commits(), StandardOpenOption.READ)) {
            CommitReader reader = new CommitReader(file, CommitLog.MAGIC.length, file.size());
            for (CommitReader.Read read; (read = reader.next()) instanceof CommitReader.Read.Intact intact; ) {
                starts.add(intact.at());
            }
            starts.add(file.size());
        }
        return starts;
    }

    /** Zeros over {@code [from, to)} of {@code file}. */
    private static void zero(Path file, long from, long to) throws IOException {
        try (FileChannel f = FileChannel.open(file, StandardOpenOption.WRITE)) {
            f.write(java.nio.ByteBuffer.allocate((int) (to - from)), from);
        }
    }

    /** The last record of the log again, its header whole and right and its body zeros: a power cut landed the header's block, not the body's. */
    private void appendHalfLanded() throws IOException {
        byte[] log = Files.readAllBytes(commits());
        List<Long> starts = recordStarts();
        int last = (int) (long) starts.get(starts.size() - 2);
        byte[] record = new byte[log.length - last];
        System.arraycopy(log, last, record, 0, CommitLog.HEADER);
        Files.write(commits(), record, StandardOpenOption.APPEND);
    }

    @FunctionalInterface
    interface Damage {
        void apply(StoreDamageTest t) throws IOException;
    }

    /** A damage, and what a start says of it after a clean stop and after a crash (null: it recovers). */
    static Stream<Arguments> damages() {
        String cut = "bets.commits holds \\d+ bytes but held \\d+ when the central stopped cleanly: it was cut at byte \\d+";
        String lost = "bets.commits ends at byte \\d+ \\(\\d+ bytes of bets.csv\\) but the central had committed up to byte \\d+ "
                + "\\(\\d+ bytes of bets.csv\\): acknowledged commits are missing";
        String body = "bets.commits is damaged: the body of the record at byte \\d+ does not match its checksum";
        String rows = "bets.csv bytes \\d+ to \\d+ do not match their checksum in bets.commits \\(the record at byte \\d+\\): they changed on disk";
        String header = "bets.commits is damaged: the header of the record at byte \\d+ does not match its checksum";
        String grown = "bets.commits holds \\d+ bytes but held \\d+ when the central stopped cleanly: something wrote to it from byte \\d+";
        String csvGrown = "bets.csv holds \\d+ bytes but held \\d+ when the central stopped cleanly: something wrote to it from byte \\d+";
        return Stream.of(
                Arguments.of("commit log truncated mid-file", (Damage) t -> truncate(t.commits(), Files.size(t.commits()) / 2), cut, lost),
                Arguments.of("commit log truncated inside its last record", (Damage) t -> truncate(t.commits(), Files.size(t.commits()) - 5), cut, lost),
                Arguments.of("a byte flipped in a record", (Damage) t -> StoreFiles.flip(t.commits(), Files.size(t.commits()) / 2, 0x10), body + "|bets.commits is damaged: .*", body + "|bets.commits is damaged: .*"),
                Arguments.of("a byte flipped in the last record (an ALL_SENT)", (Damage) t -> StoreFiles.flip(t.commits(), Files.size(t.commits()) - 3, 0x01), body, body),
                Arguments.of("a digit flipped in bets.csv (a winner no more)", (Damage) t -> StoreFiles.flip(t.csv(), find(t.csvBytes, ",7574\r\n", 2_000) + 4, 0x01), rows, rows),
                Arguments.of("a comma flipped in bets.csv", (Damage) t -> StoreFiles.flip(t.csv(), find(t.csvBytes, ",1990", 1_000), ',' ^ ';'), rows, rows),
                Arguments.of("garbage appended to the commit log", (Damage) t -> Files.write(t.commits(), "garbage garbage garbage garbage".getBytes(StandardCharsets.US_ASCII), StandardOpenOption.APPEND), grown,
                        "bets.commits is damaged: the header of the record at byte \\d+ does not match its checksum"),
                Arguments.of("garbage appended to bets.csv", (Damage) t -> Files.writeString(t.csv(), "1,Eve,Paz,666,1990-01-01,7574\r\n", StandardOpenOption.APPEND), csvGrown, null),
                Arguments.of("zeros appended to the commit log (a power cut grew it before a record landed)", (Damage) t -> Files.write(t.commits(), new byte[4096], StandardOpenOption.APPEND), grown, null),
                Arguments.of("zeros appended to bets.csv, more than a group (a power cut grew it before its rows landed)", (Damage) t -> Files.write(t.csv(), new byte[(int) Journal.MAX_UNCOMMITTED + 4096], StandardOpenOption.APPEND), csvGrown, null),
                Arguments.of("zeros over the last two records, acknowledged, to the end of the log", (Damage) t -> {
                    List<Long> starts = t.recordStarts();
                    zero(t.commits(), starts.get(starts.size() - 3), starts.get(starts.size() - 1));
                }, header, lost),
                Arguments.of("zeros over a record in the middle", (Damage) t -> {
                    List<Long> starts = t.recordStarts();
                    zero(t.commits(), starts.get(starts.size() / 2), starts.get(starts.size() / 2 + 1));
                }, header, header),
                Arguments.of("the body of the last record zeros, its header whole (acknowledged: the marks reach past it)", (Damage) t -> {
                    List<Long> starts = t.recordStarts();
                    zero(t.commits(), starts.get(starts.size() - 2) + CommitLog.HEADER, starts.get(starts.size() - 1));
                }, body, lost),
                Arguments.of("a half-landed record past the last commit (its header whole, its body zeros)", (Damage) StoreDamageTest::appendHalfLanded, grown, null),
                Arguments.of("the commit log missing", (Damage) t -> Files.delete(t.commits()), "bets.commits is missing.*", "bets.commits is missing.*"),
                Arguments.of("bets.csv missing", (Damage) t -> Files.delete(t.csv()), "bets.csv is missing.*", "bets.csv is missing.*"),
                Arguments.of("both files lost (not a store never written: bets.state says commits were reached)", (Damage) t -> {
                    Files.delete(t.commits());
                    Files.delete(t.csv());
                }, "bets.commits is missing.*", "bets.commits is missing.*"),
                Arguments.of("bets.state missing", (Damage) t -> Files.delete(t.dir.resolve(StoreState.FILE)), "bets.state is missing.*", "bets.state is missing.*"));
    }

    @ParameterizedTest(name = "{0}, after a clean stop")
    @MethodSource("damages")
    void afterACleanStop(String name, Damage damage, String clean, String crash) throws Exception {
        damage.apply(this);
        assertRefusedOrRecovered(clean);
    }

    @ParameterizedTest(name = "{0}, after a crash")
    @MethodSource("damages")
    void afterACrash(String name, Damage damage, String clean, String crash) throws Exception {
        StoreFiles.crashed(dir);
        damage.apply(this);
        assertRefusedOrRecovered(crash);
    }

    /** What a crash really leaves: a torn last record and the rows of its group; cut, and the answers are the same. */
    @Test
    void aTrueCrashTailIsCutAndTheAnswersStayTheSame() throws Exception {
        StoreFiles.crashed(dir);
        byte[] log = Files.readAllBytes(commits());
        int last = log.length - (CommitLog.HEADER + CommitLog.BODY_PREFIX + CommitLog.ENTRY); // an ALL_SENT's record
        Files.write(commits(), java.util.Arrays.copyOfRange(log, last, last + 20), StandardOpenOption.APPEND); // its header whole, its body cut
        Files.writeString(csv(), "1,Torn,Row,777,1990-01-01,7574\r\n2,Torn", StandardOpenOption.APPEND);
        assertRefusedOrRecovered(null);
        assertArrayEquals(log, Files.readAllBytes(commits()), "the torn record is cut, nothing else");
    }

    /** After a crash, a last record past the marks whose header landed and body did not was never acknowledged: it alone is cut. */
    @Test
    void aHalfLandedRecordPastTheMarksIsCutAfterACrash() throws Exception {
        StoreFiles.crashed(dir);
        byte[] log = Files.readAllBytes(commits());
        appendHalfLanded();
        assertRefusedOrRecovered(null);
        assertArrayEquals(log, Files.readAllBytes(commits()), "the half-landed record is cut, nothing else");
    }

    /**
     * The journal forces a group's rows and its record side by side: a power cut may leave the
     * record whole and its rows not (here half of them, then the zeros of a file grown before its
     * bytes landed). Past the marks after a crash, that record was never acknowledged: it is cut
     * with what landed of its rows, and the answers are the same.
     */
    @Test
    void aLastRecordWhoseRowsDidNotLandIsCutAfterACrash() throws Exception {
        StoreFiles.crashed(dir);
        byte[] log = Files.readAllBytes(commits());
        appendRecordWithoutItsRows();
        assertRefusedOrRecovered(null);
        assertArrayEquals(log, Files.readAllBytes(commits()), "the record is cut, nothing else");
        assertArrayEquals(csvBytes, Files.readAllBytes(csv()), "and what landed of its rows");
    }

    /** The same shape, but the marks reach past the record: it was acknowledged, so its rows are missing, never cut. */
    @Test
    void aLastRecordTheMarksReachWhoseRowsAreMissingIsRefused() throws Exception {
        appendRecordWithoutItsRows();
        StoreState.open(Files.size(commits()), csvBytes.length + ROW.length()).write(dir); // the journal had marked it, after a crash
        assertRefusedOrRecovered("bets.csv bytes \\d+ to \\d+ do not match their checksum in bets.commits \\(the record at byte \\d+\\): they changed on disk");
    }

    private static final String ROW = "1,Late,Row,778,1990-01-01,7574\r\n";

    /** A whole record for one more row, and of the row only its first half, then zeros. */
    private void appendRecordWithoutItsRows() throws IOException {
        byte[] row = ROW.getBytes(StandardCharsets.US_ASCII);
        try (FileChannel file = FileChannel.open(commits(), StandardOpenOption.WRITE)) {
            file.position(file.size());
            new CommitLog(file).write(new CommitLog.Commit(csvBytes.length + row.length, Crc32c.of(row, 0, row.length), List.of()));
        }
        Files.write(csv(), java.util.Arrays.copyOf(java.util.Arrays.copyOf(row, row.length / 2), row.length + 4096), StandardOpenOption.APPEND);
    }

    /**
     * A record the marks say was committed, and so acknowledged, whose body did not land: the log
     * ends as a half-landed write would leave it, but the record is refused, never cut.
     */
    @Test
    void aHalfLandedRecordTheMarksReachIsRefused() throws Exception {
        appendHalfLanded();
        StoreState.open(Files.size(commits()), Files.size(csv())).write(dir); // the journal had marked it, after a crash
        assertRefusedOrRecovered("bets.commits ends at byte \\d+ .* acknowledged commits are missing");
    }

    /**
     * What a power cut leaves when the file system grew both files before their bytes landed: the
     * last record zeros, the rows of its group, then zeros. All of it is cut, and said so; nothing committed is.
     */
    @Test
    void aPowerCutsZeroTailsAreCutAndSaidSo() throws Exception {
        StoreFiles.crashed(dir);
        byte[] log = Files.readAllBytes(commits());
        Files.write(commits(), new byte[CommitLog.HEADER + CommitLog.BODY_PREFIX + CommitLog.ENTRY], StandardOpenOption.APPEND);
        String row = "1,Torn,Row,777,1990-01-01,7574\r\n";
        Files.writeString(csv(), row, StandardOpenOption.APPEND);
        Files.write(csv(), new byte[8192], StandardOpenOption.APPEND);
        long[] cut = new long[2];
        StoreEvents events = new StoreEvents() {
            @Override
            public void storeRecovered(long bets, long commits, int agenciesDone, long cutCommitBytes, long cutCsvBytes, String path) {
                cut[0] = cutCommitBytes;
                cut[1] = cutCsvBytes;
            }

            @Override
            public void batchStored(int agency, long first, int count, int fresh) {
            }

            @Override
            public void batchRejected(int agency, long first, int count, ar.loteria.wire.WireError error) {
            }

            @Override
            public boolean logsEachBet() {
                return false;
            }

            @Override
            public void betStored(String document, int number, boolean alone) {
            }

            @Override
            public void storeFailed(String error) {
            }
        };
        Store.open(dir, events, workers, e -> { }).close();
        assertEquals(CommitLog.HEADER + CommitLog.BODY_PREFIX + CommitLog.ENTRY, cut[0], "the zero record is cut");
        assertEquals(row.length() + 8192, cut[1], "the uncommitted row and the zeros are cut");
        assertArrayEquals(log, Files.readAllBytes(commits()));
        assertRefusedOrRecovered(null);
    }

    private void assertRefusedOrRecovered(String refusal) throws Exception {
        Map<Path, byte[]> before = contents();
        if (refusal != null) {
            Damaged refused = assertThrows(Damaged.class, this::open);
            assertTrue(refused.getMessage().matches(refusal), refused.getMessage());
            Map<Path, byte[]> after = contents();
            assertEquals(before.keySet(), after.keySet(), "no file made or removed");
            before.forEach((file, bytes) -> assertArrayEquals(bytes, after.get(file), file + " unchanged"));
            return;
        }
        try (Store store = open()) {
            assertArrayEquals(csvBytes, Files.readAllBytes(csv()), "the committed rows, exactly");
            assertEquals(winners, SpilledWinners.of(DiskTally.of(store.betsFile(), store.recoveredGroups())));
            assertEquals(AGENCIES, store.doneAgencies().size());
        }
    }

    /** What the store tells its agencies they have stored adds up to the rows it reads back. */
    private static void assertProgressMatchesRows(Store store, String message) throws IOException {
        long stored = 0;
        for (int agency = 1; agency <= AGENCIES; agency++) {
            stored += store.progress(agency).stored();
        }
        try (Tallied rows = DiskTally.of(store.betsFile(), store.recoveredGroups())) {
            assertEquals(rows.bets(), stored, message);
        }
    }

    private Map<Path, byte[]> contents() throws IOException {
        Map<Path, byte[]> files = new HashMap<>();
        try (Stream<Path> list = Files.list(dir)) {
            for (Path file : list.toList()) {
                files.put(file, Files.readAllBytes(file));
            }
        }
        return files;
    }

    /** The repair keeps a copy of every file, keeps the longest verified prefix, says what it dropped, and the store opens on it. */
    @Test
    void theRepairKeepsCopiesAndLeavesTheVerifiedPrefix() throws Exception {
        int at = find(csvBytes, ",7574\r\n", csvBytes.length / 2) + 4;
        StoreFiles.flip(csv(), at, 0x01);
        byte[] damagedCsv = Files.readAllBytes(csv());
        byte[] damagedLog = Files.readAllBytes(commits());
        assertThrows(Damaged.class, this::open);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new Repair(dir, new PrintStream(out, true, StandardCharsets.UTF_8), Clock.fixed(Instant.parse("2026-05-01T10:00:00Z"), ZoneOffset.UTC)).run();
        String said = out.toString(StandardCharsets.UTF_8);
        assertTrue(said.contains("copied: bets.csv.damaged-20260501-100000, bets.commits.damaged-20260501-100000, bets.state.damaged-20260501-100000"), said);
        assertArrayEquals(damagedCsv, Files.readAllBytes(dir.resolve("bets.csv.damaged-20260501-100000")));
        assertArrayEquals(damagedLog, Files.readAllBytes(dir.resolve("bets.commits.damaged-20260501-100000")));
        assertTrue(said.matches("(?s).*found: bets.csv bytes \\d+ to \\d+ do not match their checksum.*"), said);
        assertTrue(said.matches("(?s).*dropped: agency \\d: \\d+ bets \\(it had 60, now \\d+\\), and its ALL_SENT.*"), said);
        long kept = Files.size(csv());
        assertTrue(kept <= at, "the damaged group and all after it are dropped: " + kept + " > " + at);
        assertArrayEquals(java.util.Arrays.copyOf(csvBytes, (int) kept), Files.readAllBytes(csv()), "a prefix of the rows, unchanged");
        try (Store store = open()) {
            assertProgressMatchesRows(store, "the progress agencies are told matches the rows");
            assertTrue(store.doneAgencies().isEmpty());
        }
        ByteArrayOutputStream again = new ByteArrayOutputStream();
        new Repair(dir, new PrintStream(again, true, StandardCharsets.UTF_8), Clock.systemUTC()).run();
        assertTrue(again.toString(StandardCharsets.UTF_8).contains("verifies whole"), again.toString(StandardCharsets.UTF_8));
    }
    private String repair() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new Repair(dir, new PrintStream(out, true, StandardCharsets.UTF_8), Clock.fixed(Instant.parse("2026-05-01T10:00:00Z"), ZoneOffset.UTC)).run();
        return out.toString(StandardCharsets.UTF_8);
    }

    /** The store opens on what the repair left: the same winners and every agency done, as before the damage. */
    private void assertWholeAgain() throws Exception {
        try (Store store = open()) {
            assertArrayEquals(csvBytes, Files.readAllBytes(csv()), "every row kept");
            assertEquals(winners, SpilledWinners.of(DiskTally.of(store.betsFile(), store.recoveredGroups())));
            assertEquals(AGENCIES, store.doneAgencies().size());
            for (int agency = 1; agency <= AGENCIES; agency++) {
                assertEquals(BETS, store.progress(agency).stored());
            }
        }
    }

    /** A damaged 18-byte header, with every record after it intact: the repair keeps them all, under a new header. */
    @Test
    void theRepairKeepsEveryRecordThatVerifiesUnderADamagedHeader() throws Exception {
        byte[] log = Files.readAllBytes(commits());
        StoreFiles.flip(commits(), 3, 0x20);
        byte[] damaged = Files.readAllBytes(commits());
        assertThrows(Damaged.class, this::open);
        String said = repair();
        assertTrue(said.contains("found: bets.commits does not start with its header"), said);
        assertTrue(said.contains("rewrote: the header of bets.commits"), said);
        assertTrue(said.contains("kept: 180 bets"), said);
        assertTrue(said.contains("agencies done: [1, 2, 3]"), said);
        assertArrayEquals(damaged, Files.readAllBytes(dir.resolve("bets.commits.damaged-20260501-100000")), "the damaged log is kept");
        assertArrayEquals(log, Files.readAllBytes(commits()), "the log as the central wrote it");
        assertWholeAgain();
    }

    /** The log the central wrote, in version 2: the same commits, without the checksums of the rows or of the headers. */
    private byte[] asVersion2(byte[] log) throws IOException {
        java.io.ByteArrayOutputStream v2 = new java.io.ByteArrayOutputStream();
        v2.write(CommitLog.MAGIC_V2);
        try (FileChannel file = FileChannel.open(commits(), StandardOpenOption.READ)) {
            CommitReader reader = new CommitReader(file, CommitLog.MAGIC.length, log.length);
            for (CommitReader.Read read; (read = reader.next()) instanceof CommitReader.Read.Intact intact; ) {
                List<CommitLog.Entry> entries = intact.commit().entries();
                java.nio.ByteBuffer body = java.nio.ByteBuffer.allocate(8 + 2 + entries.size() * CommitLog.ENTRY);
                body.putLong(intact.commit().csvBytes()).putShort((short) entries.size());
                for (CommitLog.Entry e : entries) {
                    body.put((byte) (e.kind() == CommitLog.Kind.BATCH ? 1 : 2)).putShort((short) e.agency()).putLong(e.offset());
                }
                v2.write(java.nio.ByteBuffer.allocate(8).putInt(body.capacity()).putInt(Crc32c.of(body.array(), 0, body.capacity())).array());
                v2.write(body.array());
            }
        }
        return v2.toByteArray();
    }

    /** The files a repair starts from, as the test made them: put back before each try. */
    private void restore(Map<Path, byte[]> files) throws IOException {
        try (Stream<Path> list = Files.list(dir)) {
            for (Path file : list.toList()) {
                Files.delete(file);
            }
        }
        for (var file : files.entrySet()) {
            Files.write(file.getKey(), file.getValue());
        }
    }

    static Stream<Arguments> rewrites() {
        return Stream.of(
                Arguments.of("a version-2 log, converted", (Damage) t -> {
                    Files.write(t.commits(), t.asVersion2(Files.readAllBytes(t.commits())));
                    Files.delete(t.dir.resolve(StoreState.FILE));
                }),
                Arguments.of("a damaged header, rewritten", (Damage) t -> StoreFiles.flip(t.commits(), 3, 0x20)));
    }

    /**
     * A repair killed at any of its writes or forces (the disk fails from there on, and the run
     * stops as a kill would stop it), or leaving a half-written new log behind, then run again
     * within the same second: the second run keeps every bet, and the first run's copies. The log is rewritten aside and renamed over the old one,
     * never rewritten in place, so the second run never takes a half-written log for the truth.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("rewrites")
    void aRepairInterruptedAtAnyWriteAndRunAgainKeepsEveryBet(String name, Damage damage) throws Exception {
        damage.apply(this);
        Map<Path, byte[]> damaged = contents();
        boolean interrupted = true;
        for (int failAt = 0; interrupted; failAt++) {
            restore(damaged);
            FaultyFiles disk = new FaultyFiles();
            disk.failAfter(failAt, "killed here");
            ByteArrayOutputStream first = new ByteArrayOutputStream();
            try {
                new Repair(dir, new PrintStream(first, true, StandardCharsets.UTF_8), Clock.fixed(Instant.parse("2026-05-01T10:00:00Z"), ZoneOffset.UTC), disk).run();
                interrupted = false;
            } catch (IOException e) {
                assertTrue(e.getMessage().contains("killed here"), e.toString());
            }
            Files.write(dir.resolve(Store.COMMITS_FILE + ".new"), new byte[] {'l', 'o', 't'}, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            ByteArrayOutputStream second = new ByteArrayOutputStream();
            new Repair(dir, new PrintStream(second, true, StandardCharsets.UTF_8), Clock.fixed(Instant.parse("2026-05-01T10:00:00Z"), ZoneOffset.UTC)).run();
            String said = first.toString(StandardCharsets.UTF_8) + "--- run again ---\n" + second.toString(StandardCharsets.UTF_8);
            assertTrue(second.toString(StandardCharsets.UTF_8).matches("(?s).*(kept: 180 bets|verifies whole).*"), "interrupted at write or force " + failAt + ":\n" + said);
            assertWholeAgain();
            if (interrupted) {
                assertArrayEquals(damaged.get(commits()), Files.readAllBytes(dir.resolve("bets.commits.damaged-20260501-100000")),
                        "the first run's copy of the damaged log is kept");
            }
        }
    }

    /**
     * A repair that drops commits (a changed byte in the rows), killed at any of its writes or
     * forces: the store it leaves is refused, never started on rows cut short of what its state
     * says, and running the repair again finishes it.
     */
    @Test
    void aRepairThatDropsCommitsKilledAnywhereLeavesARefusedStoreThatARepairFinishes() throws Exception {
        StoreFiles.flip(csv(), find(csvBytes, ",7574\r\n", csvBytes.length / 2) + 4, 0x01);
        Map<Path, byte[]> damaged = contents();
        String whole = repair();
        long keptBytes = Files.size(csv());
        boolean interrupted = true;
        for (int failAt = 0; interrupted; failAt++) {
            restore(damaged);
            FaultyFiles disk = new FaultyFiles();
            disk.failAfter(failAt, "killed here");
            try {
                new Repair(dir, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), Clock.systemUTC(), disk).run();
                interrupted = false;
            } catch (IOException e) {
                assertTrue(e.getMessage().contains("killed here"), e.toString());
                assertThrows(Damaged.class, this::open, "killed at write or force " + failAt + ": refused until repaired");
            }
            String again = repair();
            assertTrue(again.matches("(?s).*(kept: |verifies whole).*"), "killed at write or force " + failAt + ":\n" + again);
            assertEquals(keptBytes, Files.size(csv()), "the same verified prefix as a repair that was not killed:\n" + whole);
            try (Store store = open()) {
                assertProgressMatchesRows(store, "the progress agencies are told matches the rows");
            }
        }
    }

    /**
     * A disk that fails a read while the store recovers: the start is refused, saying which file
     * and where, and that is recorded, so that the next start refuses at once without reading a
     * failing disk again (before, it ended in an unrecorded start failure, retried at every
     * start). Once the disk is sound, the repair keeps every bet.
     */
    @ParameterizedTest
    @MethodSource("theStoresFiles")
    void aReadTheDiskFailsDuringRecoveryIsRecordedDamage(String file) throws Exception {
        FaultyFiles disk = new FaultyFiles();
        disk.failReadsOf(file, "Input/output error");
        Unreadable e = assertThrows(Unreadable.class,
                () -> Store.open(dir, new CentralLog(), workers, x -> { }, BetWatch.NONE, disk, Clock.systemUTC()).close());
        assertTrue(e.getMessage().contains("could not be read back from " + file + " at byte "), e.getMessage());
        Damaged again = assertThrows(Damaged.class, this::open, "refused at once by what bets.state recorded");
        assertEquals(e.getMessage(), again.getMessage());
        String said = repair();
        assertTrue(said.contains("verifies whole") || said.contains("kept: 180 bets"), said);
        assertWholeAgain();
    }

    static Stream<String> theStoresFiles() {
        return Stream.of(Store.COMMITS_FILE, Store.BETS_FILE);
    }

    /** A version-2 log (no checksums of the rows) whose groups all parse and add up: the repair keeps them all, as version 3. */
    @Test
    void theRepairConvertsAVersion2LogAndKeepsEveryGroupWhoseRowsParse() throws Exception {
        byte[] log = Files.readAllBytes(commits());
        Files.write(commits(), asVersion2(log));
        Files.delete(dir.resolve(StoreState.FILE)); // the centrals that wrote version 2 had none
        assertTrue(assertThrows(Damaged.class, this::open).getMessage().contains(StoreState.FILE + " is missing"));
        String said = repair();
        assertTrue(said.contains("found: bets.commits is a version-2 commit log"), said);
        assertTrue(said.contains("converted: the kept commits of the version-2 bets.commits to version 3"), said);
        assertTrue(said.contains("kept: 180 bets"), said);
        assertTrue(said.contains("agencies done: [1, 2, 3]"), said);
        assertArrayEquals(log, Files.readAllBytes(commits()), "the very log the central writes, checksums and all");
        assertWholeAgain();
    }

    /** A version-2 log over a row that no longer parses: the groups before it are kept, as version 3, the rest dropped and said. */
    @Test
    void theRepairOfAVersion2LogKeepsTheGroupsBeforeARowThatDoesNotParse() throws Exception {
        Files.write(commits(), asVersion2(Files.readAllBytes(commits())));
        int at = find(csvBytes, ",1990", csvBytes.length / 2);
        StoreFiles.flip(csv(), at, ',' ^ ';');
        String said = repair();
        assertTrue(said.matches("(?s).*found: bets.commits is a version-2 commit log, without checksums of bets.csv; then bets.csv does not hold whole rows at byte \\d+.*"), said);
        assertTrue(said.matches("(?s).*dropped: agency \\d: \\d+ bets \\(it had 60, now \\d+\\), and its ALL_SENT.*"), said);
        long kept = Files.size(csv());
        assertTrue(kept > 0 && kept <= at, "the groups before the damaged one, and only they: " + kept);
        assertArrayEquals(java.util.Arrays.copyOf(csvBytes, (int) kept), Files.readAllBytes(csv()));
        try (Store store = open()) {
            assertProgressMatchesRows(store, "the progress agencies are told matches the rows, which verify");
        }
    }
}
