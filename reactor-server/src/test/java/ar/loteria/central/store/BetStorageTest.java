package ar.loteria.central.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ar.loteria.central.store.BetStorage.Bet;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The course's helpers, ported: the reference the fast paths are held to. */
class BetStorageTest {
    @TempDir
    Path dir;

    private static final List<Bet> TRICKY = List.of(
            new Bet(1, "Ana, María", "O\"Brien", "00000042", "1990-01-01", 7574),
            new Bet(2, "Fornerón", "Álvarez", "30904465", "1999-03-17", 123),
            new Bet(3, "Line\nBreak", "Carriage\rReturn", "1", "2000-02-29", 0),
            new Bet(4, " spaced ", "", "9", "1985-12-01", 9999));

    /** What Python's csv.writer(QUOTE_MINIMAL) writes for the same rows (checked with CPython 3.11). */
    private static final String PYTHON_CSV = "1,\"Ana, María\",\"O\"\"Brien\",00000042,1990-01-01,7574\r\n"
            + "2,Fornerón,Álvarez,30904465,1999-03-17,123\r\n"
            + "3,\"Line\nBreak\",\"Carriage\rReturn\",1,2000-02-29,0\r\n"
            + "4, spaced ,,9,1985-12-01,9999\r\n";

    @Test
    void rowsAreWrittenByteForByteAsPythonsCsvWriterWritesThem() throws Exception {
        Path csv = dir.resolve("bets.csv");
        BetStorage.storeBets(csv, TRICKY);
        assertEquals(PYTHON_CSV, Files.readString(csv, StandardCharsets.UTF_8));
    }

    @Test
    void quotesCommasAccentsAndLineBreaksReadBackIdentically() throws Exception {
        Path csv = dir.resolve("bets.csv");
        BetStorage.storeBets(csv, TRICKY.subList(0, 2));
        BetStorage.storeBets(csv, TRICKY.subList(2, 4));
        try (Stream<Bet> loaded = BetStorage.loadBets(csv)) {
            assertEquals(TRICKY, loaded.toList());
        }
    }

    @Test
    void rowsLargerThanTheReadBufferInAllStreamBackInOrder() throws Exception {
        List<Bet> many = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            many.add(new Bet(i % 7 + 1, "Nombre \"" + i + "\", de prueba", "Ñandú", Integer.toString(i), "1990-05-17", i % 10_000));
        }
        Path csv = dir.resolve("bets.csv");
        BetStorage.storeBets(csv, many);
        assertTrue(Files.size(csv) > 3 * 256 * 1024, "spans several read buffers");
        try (Stream<Bet> loaded = BetStorage.loadBets(csv)) {
            assertEquals(many, loaded.toList());
        }
    }

    @Test
    void aLoadSeesTheRowsStoredBeforeItStartedOnly() throws Exception {
        Path csv = dir.resolve("bets.csv");
        BetStorage.storeBets(csv, TRICKY.subList(0, 1));
        try (Stream<Bet> loaded = BetStorage.loadBets(csv)) {
            BetStorage.storeBets(csv, TRICKY.subList(1, 2));
            assertEquals(TRICKY.subList(0, 1), loaded.toList());
        }
    }

    @Test
    void aBetWinsOnlyOn7574() {
        assertTrue(BetStorage.hasWon(TRICKY.get(0)));
        assertFalse(BetStorage.hasWon(TRICKY.get(1)));
    }
}
