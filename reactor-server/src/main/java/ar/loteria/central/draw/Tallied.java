package ar.loteria.central.draw;

import java.io.Closeable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What a tally found: its winners, spilled in the order of bets.csv (spill after spill), how
 * many each agency has, and how many bets there were. Closing it deletes the spills.
 */
public record Tallied(List<Spill> spills, Map<Integer, Count> perAgency, long bets) implements Closeable {
    public long winnerCount() {
        long sum = 0; // loops, not streams, in the central: 46 classes fewer in its AOT cache and at start
        for (Count count : perAgency.values()) {
            sum += count.documents();
        }
        return sum;
    }

    /** These winners, then those of {@code later}, which come after them in bets.csv. */
    public Tallied then(Tallied later) {
        List<Spill> both = new ArrayList<>(spills);
        both.addAll(later.spills);
        Map<Integer, Count> counts = new HashMap<>(perAgency);
        later.perAgency.forEach((agency, count) -> counts.merge(agency, count, Count::plus));
        return new Tallied(both, counts, bets + later.bets);
    }

    @Override
    public void close() throws IOException {
        IOException failed = null;
        for (Spill spill : spills) {
            try {
                spill.close();
            } catch (IOException e) {
                failed = e;
            }
        }
        if (failed != null) {
            throw failed;
        }
    }
}
