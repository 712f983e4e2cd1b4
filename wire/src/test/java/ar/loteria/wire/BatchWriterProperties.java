package ar.loteria.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import ar.loteria.wire.AgencyMessage.BetBatch;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.constraints.LongRange;

/** The agency's byte-level batch builder writes exactly what the encoder writes for the same bets. */
class BatchWriterProperties {
    @Provide
    Arbitrary<List<Bet>> bets() {
        return WireArbitraries.bet().list().ofMinSize(1).ofMaxSize(53);
    }

    @Property(tries = 500)
    void theSameBetsMakeTheSameFrame(@ForAll("bets") List<Bet> bets, @ForAll @LongRange(min = 0, max = 1L << 40) long first) {
        BatchWriter writer = new BatchWriter();
        writer.begin(first);
        for (Bet bet : bets) {
            byte[] a = bet.firstName().getBytes(StandardCharsets.UTF_8);
            byte[] b = bet.lastName().getBytes(StandardCharsets.UTF_8);
            byte[] d = bet.document().getBytes(StandardCharsets.US_ASCII);
            byte[] all = new byte[a.length + b.length + d.length + 10];
            System.arraycopy(a, 0, all, 0, a.length);
            System.arraycopy(b, 0, all, a.length, b.length);
            System.arraycopy(d, 0, all, a.length + b.length, d.length);
            System.arraycopy(bet.birthdate().getBytes(StandardCharsets.US_ASCII), 0, all, a.length + b.length + d.length, 10);
            writer.add(all, 0, a.length, a.length, b.length, a.length + b.length, d.length, a.length + b.length + d.length, bet.number());
        }
        assertEquals(bets.size(), writer.count());
        ByteBuffer built = writer.finish();
        assertEquals(Hex.format(FrameEncoder.encode(new BetBatch(first, bets))), Hex.format(built));
    }

    @Property(tries = 50)
    void aFullFrameTakesNoMore(@ForAll @LongRange(min = 0, max = 1000) long first) {
        BatchWriter writer = new BatchWriter();
        writer.begin(first);
        int size = FrameEncoder.betBytes(WireArbitraries.worstCaseBet(1));
        for (int i = 0; i < 53; i++) {
            Bet bet = WireArbitraries.worstCaseBet(i);
            byte[] n = bet.firstName().getBytes(StandardCharsets.US_ASCII);
            byte[] all = (bet.firstName() + bet.lastName() + bet.document() + bet.birthdate()).getBytes(StandardCharsets.US_ASCII);
            writer.add(all, 0, n.length, n.length, n.length, 2 * n.length, 10, 2 * n.length + 10, bet.number());
        }
        assertFalse(writer.fits(size), "a 54th worst-case bet does not fit");
        assertEquals(8124, writer.finish().remaining());
    }
}
