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
            winners = SpilledWinners.of(DiskTally.of(store.betsFile(), store.groups()));
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
            assertEquals(winners, SpilledWinners.of(DiskTally.of(store.betsFile(), store.groups())));
            assertEquals(AGENCIES, store.doneAgencies().size());
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
            long stored = 0;
            for (int agency = 1; agency <= AGENCIES; agency++) {
                stored += store.progress(agency).stored();
            }
            try (Tallied rows = DiskTally.of(store.betsFile(), store.groups())) {
                assertEquals(rows.bets(), stored, "the progress agencies are told matches the rows");
            }
            assertTrue(store.doneAgencies().isEmpty());
        }
        ByteArrayOutputStream again = new ByteArrayOutputStream();
        new Repair(dir, new PrintStream(again, true, StandardCharsets.UTF_8), Clock.systemUTC()).run();
        assertTrue(again.toString(StandardCharsets.UTF_8).contains("verifies whole"), again.toString(StandardCharsets.UTF_8));
    }
}
