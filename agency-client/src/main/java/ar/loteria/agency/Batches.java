package ar.loteria.agency;

import ar.loteria.agency.BetSource.RawBet;
import ar.loteria.wire.BatchWriter;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Cuts a source of bets into BET_BATCH frames of exactly {@code maxAmount} bets, but the last; a
 * batch is cut shorter only where {@code maxAmount} bets would not fit in one 8 KiB frame. Each
 * frame is kept whole until acknowledged, so that it can be sent again as it was.
 */
final class Batches {
    /** One bet as the log tells it, kept only when each bet is logged. */
    record SentBet(String document, int number) {
    }

    /** A batch on its way: the bets from {@code first}, as one encoded frame. */
    record Batch(long first, int count, ByteBuffer frame, List<SentBet> bets) {
        long end() {
            return first + count;
        }
    }

    private final BetSource source;
    private final int maxAmount;
    private final boolean keepBets;
    private final BatchWriter writer = new BatchWriter();

    /** {@code keepBets}: remember each bet's document and number, to log them when acknowledged. */
    Batches(BetSource source, int maxAmount, boolean keepBets) {
        this.source = source;
        this.maxAmount = maxAmount;
        this.keepBets = keepBets;
    }

    /** The next batch, its first bet being the agency's {@code first}-th; null when every bet went out. */
    Batch next(long first) throws IOException, BadDataException {
        writer.begin(first);
        List<SentBet> bets = keepBets ? new ArrayList<>() : List.of();
        while (writer.count() < maxAmount) {
            RawBet bet = source.next();
            if (bet == null) {
                break;
            }
            if (!writer.fits(BatchWriter.betBytes(bet.firstLength, bet.lastLength, bet.documentLength))) {
                source.unread(); // it opens the next batch
                break;
            }
            writer.add(bet.bytes, bet.first, bet.firstLength, bet.last, bet.lastLength, bet.document, bet.documentLength, bet.birthdate, bet.number);
            if (keepBets) {
                bets.add(new SentBet(bet.document(), bet.number));
            }
        }
        if (writer.count() == 0) {
            return null;
        }
        ByteBuffer frame = writer.finish();
        ByteBuffer copy = ByteBuffer.allocate(frame.remaining()).put(frame).flip();
        return new Batch(first, writer.count(), copy, bets);
    }
}
