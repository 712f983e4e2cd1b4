package ar.loteria.central.draw;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ar.loteria.central.store.BetStorage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The tally finds what the course's load_bets and has_won find, however the file is fed to it. */
class TallyTest {
    @TempDir
    Path dir;

    /** What the tally spilled, by agency in the order of the file, checked against its counts; the spills are deleted. */
    static Map<Integer, List<String>> winners(Tally.Result result) throws IOException {
        try (result) {
            Map<Integer, List<String>> winners = new HashMap<>();
            for (Spill spill : result.spills()) {
                spill.replay((agency, b, document, length) -> winners.computeIfAbsent(agency, a -> new ArrayList<>())
                        .add(new String(b, document, length, StandardCharsets.US_ASCII)));
            }
            Map<Integer, Tally.Count> counted = new HashMap<>();
            winners.forEach((agency, documents) -> counted.put(agency,
                    new Tally.Count(documents.size(), documents.stream().mapToLong(d -> 1 + d.length()).sum())));
            assertEquals(counted, result.perAgency(), "the counts the winners file is laid out by");
            return winners;
        }
    }

    private static Map<Integer, List<String>> byTheCourseHelpers(Path csv) throws Exception {
        Map<Integer, List<String>> winners = new HashMap<>();
        try (Stream<BetStorage.Bet> bets = BetStorage.loadBets(csv)) {
            bets.filter(BetStorage::hasWon).forEach(b -> winners.computeIfAbsent(b.agency(), a -> new ArrayList<>()).add(b.document()));
        }
        return winners;
    }

    @Test
    void theTallyAgreesWithLoadBetsAndHasWonForEverySplitOfTheFile() throws Exception {
        Random random = new Random(42);
        List<BetStorage.Bet> bets = new ArrayList<>();
        String[] names = {"Ana", "María, José", "O\"Brien", "Line\nBreak", "\"quoted\"", "Fornerón", " x "};
        for (int i = 0; i < 3_000; i++) {
            bets.add(new BetStorage.Bet(1 + random.nextInt(7), names[random.nextInt(names.length)], names[random.nextInt(names.length)],
                    String.format("%08d", random.nextInt(100_000_000)), "1990-01-01", random.nextInt(5) == 0 ? 7574 : random.nextInt(10_000)));
        }
        Path csv = dir.resolve("bets.csv");
        BetStorage.storeBets(csv, bets);
        Map<Integer, List<String>> expected = byTheCourseHelpers(csv);
        assertEquals(expected, winners(Tally.of(csv, Files.size(csv))));
        byte[] all = Files.readAllBytes(csv);
        for (int round = 0; round < 200; round++) { // fed in pieces cut anywhere, a quote or a CRLF included
            Tally tally = new Tally(dir);
            for (int at = 0; at < all.length; ) {
                int n = Math.min(all.length - at, 1 + random.nextInt(round < 20 ? 3 : 4096));
                tally.feed(ByteBuffer.wrap(all, at, n));
                at += n;
            }
            Tally.Result result = tally.result();
            assertEquals(3_000, result.bets());
            assertEquals(expected, winners(result), "round " + round);
        }
    }

    @Test
    void aTallyInPiecesOnManyThreadsAgreesWithOnePass() throws Exception {
        List<BetStorage.Bet> bets = new ArrayList<>();
        Random random = new Random(5);
        for (int i = 0; i < 120_000; i++) { // about 6 MB: more than the size below which one pass is taken
            bets.add(new BetStorage.Bet(1 + random.nextInt(9), i % 11 == 0 ? "Ana, María" : "Santiago Lionel", "O\"Brien",
                    Integer.toString(10_000_000 + i), "1990-01-01", random.nextInt(50) == 0 ? 7574 : random.nextInt(10_000)));
        }
        Path csv = dir.resolve("bets.csv");
        BetStorage.storeBets(csv, bets);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            Tally.Result one = Tally.of(csv, Files.size(csv));
            long betCount = one.bets();
            Map<Integer, List<String>> oneWinners = winners(one);
            for (int parts : new int[] {2, 3, 7}) {
                Tally.Result pieces = Tally.of(csv, Files.size(csv), pool, parts);
                assertEquals(betCount, pieces.bets());
                assertEquals(oneWinners, winners(pieces), parts + " pieces");
            }
            assertEquals(byTheCourseHelpers(csv), oneWinners);
            assertEquals(oneWinners, winners(Tally.of(csv, Files.size(csv), Runnable::run, 4)), "a pool that runs nothing aside");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aFileThatIsNotTheStoresIsRefusedWithTheRow() throws Exception {
        Tally.Malformed fields = assertThrows(Tally.Malformed.class, () -> new Tally(dir).feed(ByteBuffer.wrap(
                "1,Ana,Paz,1,1990-01-01,7574\r\n2,Ana,Paz,1,1990-01-01\r\n".getBytes(StandardCharsets.UTF_8))));
        assertEquals("row 2 has 5 fields, not 6", fields.getMessage());
        Tally cut = new Tally(dir);
        cut.feed(ByteBuffer.wrap("1,Ana,Paz,1,1990-01-01,7574\r\n2,Ana".getBytes(StandardCharsets.UTF_8)));
        assertEquals("the rows end in the middle of row 2", assertThrows(Tally.Malformed.class, cut::result).getMessage());
    }

    /** Found in review: a row that never ends grew the tally's memory until the heap ran out. */
    @Test
    void aRowThatNeverEndsIsRefusedNotHeldInMemory() throws Exception {
        byte[] open = new byte[3 << 20];
        java.util.Arrays.fill(open, (byte) 'a');
        byte[] head = "1,Ana,Paz,1,1990-01-01,7574\n2,\"".getBytes(StandardCharsets.UTF_8);
        System.arraycopy(head, 0, open, 0, head.length);
        Path csv = dir.resolve("bets.csv");
        Files.write(csv, open);
        Tally.Malformed read = assertThrows(Tally.Malformed.class, () -> Tally.of(csv, open.length));
        assertEquals("row 2 is longer than 65536 bytes", read.getMessage());
        Tally fed = new Tally(dir);
        Tally.Malformed inPieces = assertThrows(Tally.Malformed.class, () -> {
            for (int at = 0; at < open.length; at += 4096) {
                fed.feed(ByteBuffer.wrap(open, at, Math.min(4096, open.length - at)));
            }
        });
        assertEquals("row 2 is longer than 65536 bytes", inPieces.getMessage());
    }
}
