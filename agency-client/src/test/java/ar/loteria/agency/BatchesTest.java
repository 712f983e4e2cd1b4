package ar.loteria.agency;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ar.loteria.wire.AgencyMessage.BetBatch;
import ar.loteria.wire.Bet;
import ar.loteria.wire.Frame;
import ar.loteria.wire.FrameEncoder;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class BatchesTest {

    private static BetSource source(List<Bet> bets) {
        Iterator<Bet> it = bets.iterator();
        return new BetSource() {
            @Override
            public Bet next() {
                return it.hasNext() ? it.next() : null;
            }

            @Override
            public int percentRead() {
                return 0;
            }

            @Override
            public boolean single() {
                return false;
            }

            @Override
            public void close() {
            }
        };
    }

    private static List<Bet> typical(int count) {
        return IntStream.range(0, count).mapToObj(i -> new Bet("Santiago Lionel", "Lorca", "3090" + i, "1999-03-17", i)).toList();
    }

    private static List<Bet> worstCase(int count) {
        String name = "Ñ".repeat(32); // 64 bytes
        return IntStream.range(0, count).mapToObj(i -> new Bet(name, name, String.format("%010d", i), "1999-03-17", 7574)).toList();
    }

    private static List<Integer> sizes(List<Bet> bets, int maxAmount) throws Exception {
        Batches batches = new Batches(source(bets), maxAmount);
        List<Integer> sizes = new ArrayList<>();
        for (List<Bet> batch = batches.next(); batch != null; batch = batches.next()) {
            assertTrue(FrameEncoder.frameBytes(new BetBatch(1, batch)) <= Frame.MAX_FRAME_BYTES);
            sizes.add(batch.size());
        }
        return sizes;
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
        Batches batches = new Batches(source(bets), 70);
        List<Bet> out = new ArrayList<>();
        for (List<Bet> batch = batches.next(); batch != null; batch = batches.next()) {
            out.addAll(batch);
        }
        assertEquals(bets, out);
    }
}
