package ar.loteria.agency;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ar.loteria.agency.Batches.Batch;
import ar.loteria.wire.AgencyMessage.BetBatch;
import ar.loteria.wire.Bet;
import ar.loteria.wire.Decoded;
import ar.loteria.wire.Frame;
import ar.loteria.wire.FrameDecoder;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class BatchesTest {

    private static List<Bet> typical(int count) {
        return IntStream.range(0, count).mapToObj(i -> new Bet("Santiago Lionel", "Lorca", "3090" + i, "1999-03-17", i)).toList();
    }

    private static List<Bet> worstCase(int count) {
        String name = "Ñ".repeat(32); // 64 bytes
        return IntStream.range(0, count).mapToObj(i -> new Bet(name, name, String.format("%010d", i), "1999-03-17", 7574)).toList();
    }

    /** Every batch, decoded back from its frame, checked to start where the one before ended. */
    private static List<BetBatch> all(List<Bet> bets, int maxAmount) throws Exception {
        Batches batches = new Batches(new ListSource(bets), maxAmount, false);
        List<BetBatch> out = new ArrayList<>();
        long next = 0;
        for (Batch batch = batches.next(next); batch != null; batch = batches.next(next)) {
            assertTrue(batch.frame().remaining() <= Frame.MAX_FRAME_BYTES);
            BetBatch decoded = (BetBatch) assertInstanceOf(Decoded.Valid.class, new FrameDecoder().decode(batch.frame().duplicate())).message();
            assertEquals(next, decoded.firstOffset());
            assertEquals(batch.count(), decoded.bets().size());
            out.add(decoded);
            next = batch.end();
        }
        return out;
    }

    private static List<Integer> sizes(List<Bet> bets, int maxAmount) throws Exception {
        return all(bets, maxAmount).stream().map(b -> b.bets().size()).toList();
    }

    @Test
    void batchesHoldExactlyMaxAmountButTheLast() throws Exception {
        assertEquals(List.of(21), sizes(typical(21), 99));
        assertEquals(List.of(16), sizes(typical(16), 64));
        assertEquals(List.of(10, 10, 10, 10, 10, 10, 4), sizes(typical(64), 10));
        assertEquals(List.of(), sizes(typical(0), 10));
        assertEquals(List.of(1, 1, 1), sizes(typical(3), 1));
    }

    @Test
    void worstCaseBetsAreSplitOnlyWhereEightKiBWouldOverflow() throws Exception {
        assertEquals(List.of(53, 53, 14), sizes(worstCase(120), 99));
        assertEquals(List.of(40, 40, 40), sizes(worstCase(120), 40));
    }

    @Test
    void everyBetComesOutOnceInOrder() throws Exception {
        List<Bet> bets = new ArrayList<>(typical(100));
        bets.addAll(worstCase(100));
        List<Bet> out = new ArrayList<>();
        all(bets, 70).forEach(b -> out.addAll(b.bets()));
        assertEquals(bets, out);
    }
}
