package ar.loteria.central.draw;

import ar.loteria.central.store.BetWatch;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * The winners of the rows this run commits, noted by the journal as each group becomes durable,
 * in the order of bets.csv: the workers saw every bet's number while encoding it, so the draw
 * need not read back what this run wrote, only what it found on disk at start ({@link StoredBets}).
 * The journal writes it, the draw {@link #take}s it once: a lock between them, taken once a group.
 */
public final class RunningTally implements BetWatch {
    private final WinnersFound found;
    /** A spill that could not be written: the draw fails with it, the journal goes on. */
    private IOException failed;
    private boolean taken;

    /** Spills its winners into {@code spillDirectory}. */
    public RunningTally(Path spillDirectory) {
        found = new WinnersFound(spillDirectory);
    }

    @Override
    public int number() {
        return RowScan.WINNING_NUMBER;
    }

    @Override
    public synchronized void noted(int agency, byte[] b, int document, int length) {
        if (taken || failed != null) {
            return; // nothing after the draw began is its answer; and a failed spill is the draw's failure, not the store's
        }
        try {
            found.winner(agency, b, document, length);
        } catch (UncheckedIOException e) {
            failed = e.getCause();
        }
    }

    @Override
    public synchronized void groupStored(long bets) {
        if (!taken) {
            found.bets(bets);
        }
    }

    /**
     * The winners of every group committed so far, once; groups committed later are not noted (when
     * the draw begins every agency is done, and no group adds bets).
     */
    public synchronized Tallied take() throws IOException {
        if (taken) {
            throw new IllegalStateException("the running tally was taken already");
        }
        taken = true;
        if (failed != null) {
            found.discard();
            throw failed;
        }
        return found.tallied();
    }
}
