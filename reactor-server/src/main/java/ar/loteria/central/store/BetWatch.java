package ar.loteria.central.store;

/**
 * Told the bets on one number as the journal makes them durable: the workers look at every bet's
 * number as they encode it anyway, so whoever wants those bets (the draw, its winners) need not
 * read back what this run wrote. Called on the journal's thread, in the order of bets.csv, once a
 * group is forced and before any of its requests is answered; never for a group that failed.
 */
public interface BetWatch {
    /** Watches nothing. */
    BetWatch NONE = new BetWatch() {
        @Override
        public int number() {
            return -1; // no bet has it
        }

        @Override
        public void noted(int agency, byte[] b, int document, int length) {
        }

        @Override
        public void groupStored(long bets) {
        }
    };

    /** The number whose bets are told; asked once, when the store opens. */
    int number();

    /** A durable bet on {@link #number} of {@code agency}, its document {@code b[document, document + length)}. */
    void noted(int agency, byte[] b, int document, int length);

    /** The group whose bets were just noted is durable; it stored {@code bets} new bets in all. */
    void groupStored(long bets);
}
