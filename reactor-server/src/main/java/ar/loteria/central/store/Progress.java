package ar.loteria.central.store;

/** How far one agency got: how many of its bets are stored (its offset) and whether it said it is done. */
public record Progress(long stored, boolean done) {
    /** An agency never heard from. */
    public static final Progress NONE = new Progress(0, false);
}
