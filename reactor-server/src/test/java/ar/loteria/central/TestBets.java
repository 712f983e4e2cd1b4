package ar.loteria.central;

import ar.loteria.wire.AgencyMessage.BetBatch;
import ar.loteria.wire.Bet;
import java.util.ArrayList;
import java.util.List;

/** Bets made up for tests: document = agency × 10^6 + index, so every document is unique and says whose it is. */
public final class TestBets {
    private TestBets() {
    }

    /** {@code count} bets of {@code agency}; every {@code winEvery}-th one is on 7574. */
    public static List<Bet> of(int agency, int count, int winEvery) {
        List<Bet> bets = new ArrayList<>(count);
        for (int i = 1; i <= count; i++) {
            int number = i % winEvery == 0 ? 7574 : (i * 37) % 7000;
            bets.add(new Bet("Nombre " + i, "Fornerón", document(agency, i), "1990-01-" + String.format("%02d", 1 + i % 28), number));
        }
        return bets;
    }

    public static String document(int agency, int i) {
        return Long.toString(agency * 1_000_000L + i);
    }

    public static List<String> winnersOf(List<Bet> bets) {
        return bets.stream().filter(b -> b.number() == 7574).map(Bet::document).toList();
    }

    /** The bets cut into batches of {@code size}, each with the offset of its first bet. */
    public static List<BetBatch> batches(List<Bet> bets, int size) {
        List<BetBatch> out = new ArrayList<>();
        for (int i = 0; i < bets.size(); i += size) {
            out.add(new BetBatch(i, bets.subList(i, Math.min(bets.size(), i + size))));
        }
        return out;
    }
}
