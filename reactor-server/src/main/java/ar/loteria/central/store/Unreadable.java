package ar.loteria.central.store;

import java.io.IOException;

/**
 * Acknowledged rows could not be read back: the disk under the store failed a read of bets.csv
 * or bets.commits (an I/O error; see {@link ReadBack} for what is not). Handled as
 * {@link Damaged}: recorded in bets.state, so that no start draws again on a disk that fails the
 * same way, and a person checks the disk and runs {@link Repair}, which keeps whatever still
 * verifies.
 */
public final class Unreadable extends Damaged {
    private static final long serialVersionUID = 1L;

    Unreadable(String file, long position, IOException cause) {
        super("the committed rows could not be read back from " + file + " at byte " + position + ": "
                + (cause.getMessage() != null ? cause.getMessage() : cause.toString())
                + "; the disk may be failing: check it, move the store to a sound disk if need be, then repair");
        initCause(cause);
    }
}
