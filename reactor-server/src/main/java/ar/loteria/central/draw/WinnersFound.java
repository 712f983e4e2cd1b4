package ar.loteria.central.draw;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The winners of one stretch of bets.csv as they are found, in its order: spilled, so that only
 * their count per agency stays in memory, and the bets passed over counted. Not thread-safe.
 */
final class WinnersFound {
    private final Spill spill;
    private final Map<Integer, Count> perAgency = new HashMap<>();
    private long bets;

    WinnersFound(Path spillDirectory) {
        spill = new Spill(spillDirectory);
    }

    void bets(long count) {
        bets += count;
    }

    /** A winner of {@code agency}, its document {@code b[document, document + length)}. */
    void winner(int agency, byte[] b, int document, int length) {
        spill.add(agency, b, document, length);
        perAgency.merge(agency, new Count(1, 1 + length), Count::plus);
    }

    Tallied tallied() {
        return new Tallied(List.of(spill), perAgency, bets);
    }

    /** Nothing found here is the answer: the spill goes. */
    void discard() throws IOException {
        spill.close();
    }
}
