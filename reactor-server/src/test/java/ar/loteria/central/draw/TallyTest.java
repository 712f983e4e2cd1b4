package ar.loteria.central.draw;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ar.loteria.central.store.BetStorage;
import ar.loteria.central.store.Damaged;
import ar.loteria.central.store.Groups;
import ar.loteria.central.store.StoreFiles;
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

    static Map<Integer, List<String>> winners(Tallied result) throws IOException {
        return SpilledWinners.of(result);
    }

    /** Feeds {@code b[at, at + n)} to the tally, as reads of bets.csv would, in as many reads as its buffer needs. */
    private static void feed(Tally tally, byte[] b, int at, int n) throws Malformed {
        for (int end = at + n; at < end; ) {
            ByteBuffer room = tally.room(end - at);
            int read = room.remaining();
            room.put(b, at, read);
            tally.filled(read);
            at += read;
        }
    }

    private static void feed(Tally tally, String rows) throws Malformed {
        byte[] b = rows.getBytes(StandardCharsets.UTF_8);
        feed(tally, b, 0, b.length);
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
        Groups groups = StoreFiles.committed(dir, bets, 97);
        Path csv = dir.resolve("bets.csv");
        Map<Integer, List<String>> expected = BetStorage.winnersByAgency(csv);
        assertEquals(expected, winners(DiskTally.of(csv, groups)));
        byte[] all = Files.readAllBytes(csv);
        for (int round = 0; round < 200; round++) { // fed in pieces cut anywhere, a quote or a CRLF included
            Tally tally = new Tally(dir, 0);
            for (int at = 0; at < all.length; ) {
                int n = Math.min(all.length - at, 1 + random.nextInt(round < 20 ? 3 : 4096));
                feed(tally, all, at, n);
                at += n;
            }
            Tallied result = tally.result();
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
        Groups groups = StoreFiles.committed(dir, bets, 500);
        Path csv = dir.resolve("bets.csv");
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            Tallied one = DiskTally.of(csv, groups);
            long betCount = one.bets();
            Map<Integer, List<String>> oneWinners = winners(one);
            for (int parts : new int[] {2, 3, 7}) {
                Tallied pieces = DiskTally.of(csv, groups, pool, parts);
                assertEquals(betCount, pieces.bets());
                assertEquals(oneWinners, winners(pieces), parts + " pieces");
            }
            assertEquals(BetStorage.winnersByAgency(csv), oneWinners);
            assertEquals(oneWinners, winners(DiskTally.of(csv, groups, Runnable::run, 4)), "a pool that runs nothing aside");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aFileThatIsNotTheStoresIsRefusedWithTheRow() throws Exception {
        Malformed fields = assertThrows(Malformed.class, () -> feed(new Tally(dir, 0), "1,Ana,Paz,1,1990-01-01,7574\r\n2,Ana,Paz,1,1990-01-01\r\n"));
        assertEquals("bets.csv does not parse at byte 29: the row has 5 fields, not 6", fields.getMessage());
        assertEquals(29, fields.offset());
        Tally cut = new Tally(dir, 0);
        feed(cut, "1,Ana,Paz,1,1990-01-01,7574\r\n2,Ana");
        assertEquals("bets.csv does not parse at byte 29: the rows end in the middle of this row", assertThrows(Malformed.class, cut::result).getMessage());
    }

    /** Found in review: a row that never ends grew the tally's memory until the heap ran out. */
    @Test
    void aRowThatNeverEndsIsRefusedNotHeldInMemory() throws Exception {
        byte[] open = new byte[3 << 20];
        java.util.Arrays.fill(open, (byte) 'a');
        byte[] head = "1,Ana,Paz,1,1990-01-01,7574\n2,\"".getBytes(StandardCharsets.UTF_8);
        System.arraycopy(head, 0, open, 0, head.length);
        Groups groups = StoreFiles.committed(dir, open);
        Malformed read = assertThrows(Malformed.class, () -> DiskTally.of(dir.resolve("bets.csv"), groups));
        assertEquals("bets.csv does not parse at byte 28: the row is longer than 65536 bytes", read.getMessage());
        Tally fed = new Tally(dir, 0);
        Malformed inPieces = assertThrows(Malformed.class, () -> {
            for (int at = 0; at < open.length; at += 4096) {
                feed(fed, open, at, Math.min(4096, open.length - at));
            }
        });
        assertEquals("bets.csv does not parse at byte 28: the row is longer than 65536 bytes", inPieces.getMessage());
    }

    /** {@code count} bets of 3 agencies, one in five on 7574, about 36 bytes a row. */
    private static List<BetStorage.Bet> someBets(int count) {
        List<BetStorage.Bet> bets = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            bets.add(new BetStorage.Bet(1 + i % 3, "Ana", "Paz", Integer.toString(20_000_000 + i), "1990-01-01", i % 5 == 0 ? 7574 : 1000 + i % 5000));
        }
        return bets;
    }

    /** The offset of the first byte of {@code text} in bets.csv at or after {@code from}. */
    private static long offsetOf(byte[] csv, String text, long from) {
        byte[] t = text.getBytes(StandardCharsets.US_ASCII);
        outer:
        for (int i = (int) from; i + t.length <= csv.length; i++) {
            for (int j = 0; j < t.length; j++) {
                if (csv[i + j] != t[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError(text + " not found");
    }

    /**
     * The attack the checksums are for: a digit changed on disk turns a winner into a loser (or
     * the reverse) and the row still parses. The tally refuses, in one pass and in pieces, with
     * the bytes of the group that changed; it never answers with other winners.
     */
    @Test
    void aChangedDigitThatStillParsesIsFoundByItsGroupsChecksum() throws Exception {
        List<BetStorage.Bet> bets = someBets(130_000); // more than 4 MiB: the tally cuts it in pieces
        Groups groups = StoreFiles.committed(dir, bets, 250);
        Path csv = dir.resolve("bets.csv");
        long at = offsetOf(Files.readAllBytes(csv), ",7574\r\n", 3_000_000) + 4; // the last digit of a winner's number
        StoreFiles.flip(csv, at, 0x01); // 7574 becomes 7575: a digit still
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            for (int parts : new int[] {1, 2, 3}) {
                Damaged damaged = assertThrows(Damaged.class, () -> DiskTally.of(csv, groups, pool, parts));
                java.util.regex.Matcher m = java.util.regex.Pattern.compile("bets.csv bytes (\\d+) to (\\d+) do not match their checksum in bets.commits "
                        + "\\(the record at byte \\d+\\): they changed on disk").matcher(damaged.getMessage());
                assertTrue(m.matches(), damaged.getMessage());
                assertTrue(Long.parseLong(m.group(1)) <= at && at < Long.parseLong(m.group(2)), damaged.getMessage() + " holds " + at);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** A comma changed on disk breaks its row: reported as the changed bytes they are, with where they are, not as an endless retry. */
    @Test
    void aChangedCommaIsReportedAsChangedBytesWithTheirOffset() throws Exception {
        Groups groups = StoreFiles.committed(dir, someBets(10_000), 250);
        Path csv = dir.resolve("bets.csv");
        long at = offsetOf(Files.readAllBytes(csv), ",1990-01-01", 300_000);
        StoreFiles.flip(csv, at, ',' ^ ';');
        Damaged damaged = assertThrows(Damaged.class, () -> DiskTally.of(csv, groups));
        assertTrue(damaged.getMessage().matches("bets.csv bytes \\d+ to \\d+ do not match their checksum .*"), damaged.getMessage());
    }

    /** Rows added past the last commit, or a commit log that lost its end, are never read as bets. */
    @Test
    void rowsNoCommitCoversAreNotRead() throws Exception {
        Groups groups = StoreFiles.committed(dir, someBets(1_000), 100);
        Path csv = dir.resolve("bets.csv");
        Files.writeString(csv, "1,Eve,Paz,1,1990-01-01,7574\r\n", java.nio.file.StandardOpenOption.APPEND);
        assertEquals(byTheCourseHelpersUpTo(csv, groups.csvBytes()), winners(DiskTally.of(csv, groups)), "the committed rows only");
    }

    private static Map<Integer, List<String>> byTheCourseHelpersUpTo(Path csv, long bytes) throws Exception {
        Path copy = csv.resolveSibling("committed.csv");
        Files.write(copy, java.util.Arrays.copyOf(Files.readAllBytes(csv), (int) bytes));
        return BetStorage.winnersByAgency(copy);
    }
}
