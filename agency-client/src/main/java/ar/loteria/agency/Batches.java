package ar.loteria.agency;

import ar.loteria.wire.Bet;
import ar.loteria.wire.Frame;
import ar.loteria.wire.FrameEncoder;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Cuts a stream of bets into batches of exactly {@code maxAmount} bets, but the last; a batch is
 * cut shorter only where {@code maxAmount} bets would not fit in one 8 KiB frame.
 */
final class Batches {
    private final BetSource source;
    private final int maxAmount;
    private Bet carried;
    private boolean exhausted;

    Batches(BetSource source, int maxAmount) {
        this.source = source;
        this.maxAmount = maxAmount;
    }

    /** The next batch, or null when every bet went out. */
    List<Bet> next() throws IOException, BadDataException {
        List<Bet> batch = new ArrayList<>(Math.min(maxAmount, 256));
        int frameBytes = Frame.HEADER_BYTES + FrameEncoder.BATCH_PREFIX_BYTES;
        while (batch.size() < maxAmount) {
            Bet bet = carried != null ? carried : exhausted ? null : source.next();
            carried = null;
            if (bet == null) {
                exhausted = true;
                break;
            }
            int size = FrameEncoder.betBytes(bet);
            if (frameBytes + size > Frame.MAX_FRAME_BYTES) {
                carried = bet; // it opens the next batch
                break;
            }
            batch.add(bet);
            frameBytes += size;
        }
        return batch.isEmpty() ? null : batch;
    }
}
