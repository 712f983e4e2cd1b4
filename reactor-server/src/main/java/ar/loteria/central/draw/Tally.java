package ar.loteria.central.draw;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * One pass over a stretch of bets.csv, read into its buffer as the bytes come, in pieces cut
 * anywhere: the rows now whole are read ({@link RowScan}) and the start of a row cut short waits
 * at the front of the buffer for the rest. Its winners spill into a directory, so memory grows
 * neither with the bets nor with the winners. A row longer than any the store writes is
 * {@link Malformed}, not held in memory. Not thread-safe.
 */
final class Tally {
    /** What one read fills at most. */
    static final int CHUNK = 1 << 20;
    /** Far more than any row the store writes (a few hundred bytes): a longer one is damage. */
    static final int MAX_ROW = 64 * 1024;

    private final WinnersFound found;
    private final RowScan scan;
    private final byte[] buffer = new byte[CHUNK];
    /** The bytes of a row cut short, at the front of the buffer. */
    private int kept;
    /** The offset in bets.csv of the buffer's first byte. */
    private long base;

    /** A tally from byte {@code from} of bets.csv, where a row starts, whose winners spill into {@code spillDirectory}. */
    Tally(Path spillDirectory, long from) {
        found = new WinnersFound(spillDirectory);
        scan = new RowScan(found);
        base = from;
    }

    /** Where the next bytes of the file go, at most {@code max} of them: read into it, then call {@link #filled}. */
    ByteBuffer room(long max) {
        return ByteBuffer.wrap(buffer, kept, (int) Math.min(buffer.length - kept, max));
    }

    /** {@code n} more bytes are in the {@link #room}: reads the rows they complete. */
    void filled(int n) throws Malformed {
        int end = kept + n;
        int next = scan.rows(buffer, 0, end, base);
        kept = end - next;
        if (kept > MAX_ROW) {
            throw new Malformed(base + next, "the row is longer than " + MAX_ROW + " bytes");
        }
        System.arraycopy(buffer, next, buffer, 0, kept);
        base += next;
    }

    /** What was fed so far, which must end on a whole row. */
    Tallied result() throws Malformed {
        if (kept > 0) {
            throw new Malformed(base, "the rows end in the middle of this row");
        }
        return found.tallied();
    }

    /** The tally is not the answer: its spill goes. */
    void discard() throws IOException {
        found.discard();
    }
}
