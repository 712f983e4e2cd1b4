package ar.loteria.central.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ar.loteria.wire.AgencyMessage.BetBatch;
import ar.loteria.wire.Bet;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The workers' rows are the course's storeBets rows, byte for byte, whatever the names hold. */
class BatchRowsTest {
    @TempDir
    Path dir;

    private static final String[] PIECES = {"a", "Z", " ", ",", "\"", "'", "á", "Ñ", "ü", "漢", "😀", "-", "."};

    private static String name(Random random) {
        StringBuilder s = new StringBuilder();
        int pieces = 1 + random.nextInt(12);
        for (int i = 0; i < pieces; i++) {
            s.append(PIECES[random.nextInt(PIECES.length)]);
        }
        return s.toString();
    }

    @Test
    void rowsFromTheFramesBytesEqualWhatStoreBetsWrites() throws Exception {
        Random random = new Random(7574);
        ArrayPool arrays = new ArrayPool(1 << 20);
        for (int round = 0; round < 200; round++) {
            int agency = 1 + random.nextInt(70_000);
            List<Bet> bets = new ArrayList<>();
            for (int i = 0, n = 1 + random.nextInt(40); i < n; i++) {
                bets.add(new Bet(name(random), name(random), Integer.toString(random.nextInt(1_000_000_000)),
                        String.format("%04d-%02d-%02d", 1900 + random.nextInt(100), 1 + random.nextInt(12), 1 + random.nextInt(28)), random.nextInt(10_000)));
            }
            Path csv = dir.resolve("round-" + round + ".csv");
            BetStorage.storeBets(csv, bets.stream().map(b -> new BetStorage.Bet(agency, b.firstName(), b.lastName(), b.document(), b.birthdate(), b.number())).toList());
            // As the store lends them: the payload in a longer array, what an earlier batch left after it,
            // and the rows in the arrays of the rounds before.
            byte[] exact = StoreTest.payloadBytes(new BetBatch(0, bets));
            byte[] payload = new byte[exact.length + 1 + random.nextInt(200)];
            random.nextBytes(payload);
            System.arraycopy(exact, 0, payload, 0, exact.length);
            BatchRows rows = BatchRows.of(agency, payload, exact.length, LocalDate.of(2026, 1, 1), BetWatch.NONE.number(), arrays);
            assertEquals(null, rows.error());
            assertEquals(Files.readString(csv, StandardCharsets.UTF_8), text(rows.rowsFrom(0)), "round " + round);
            int skip = random.nextInt(bets.size());
            String expectedTail = Files.readAllLines(csv, StandardCharsets.UTF_8).stream().skip(skip).map(l -> l + "\r\n").reduce("", String::concat);
            assertEquals(expectedTail.replace("\r\r\n", "\r\n"), text(rows.rowsFrom(skip)), "the rows from bet " + skip);
            arrays.give(rows.array());
        }
    }

    private static String text(ByteBuffer b) {
        return StandardCharsets.UTF_8.decode(b.duplicate()).toString();
    }
}
