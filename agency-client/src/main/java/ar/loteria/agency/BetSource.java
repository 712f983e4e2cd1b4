package ar.loteria.agency;

import ar.loteria.wire.Bet;
import java.io.Closeable;
import java.io.IOException;

/** Where an agency's bets come from, one at a time. */
interface BetSource extends Closeable {
    /** The next bet, or null when there are no more. */
    Bet next() throws IOException, BadDataException;

    /** How far through the source we are, 0 to 100. */
    int percentRead();

    /** Whether the bets came from the environment: one bet, logged at INFO when sent. */
    boolean single();

    /** One bet given in the environment. */
    static BetSource of(Bet bet) {
        return new BetSource() {
            private boolean given;

            @Override
            public Bet next() {
                if (given) {
                    return null;
                }
                given = true;
                return bet;
            }

            @Override
            public int percentRead() {
                return given ? 100 : 0;
            }

            @Override
            public boolean single() {
                return true;
            }

            @Override
            public void close() {
            }
        };
    }
}
