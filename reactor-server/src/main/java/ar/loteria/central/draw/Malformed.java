package ar.loteria.central.draw;

import ar.loteria.central.store.Damaged;

/** The file is not what the store writes: a row that does not parse, at byte {@link #offset} of bets.csv. */
public final class Malformed extends Damaged {
    private static final long serialVersionUID = 1L;
    private final long offset;

    Malformed(long offset, String what) {
        super("bets.csv does not parse at byte " + offset + ": " + what);
        this.offset = offset;
    }

    public long offset() {
        return offset;
    }
}
