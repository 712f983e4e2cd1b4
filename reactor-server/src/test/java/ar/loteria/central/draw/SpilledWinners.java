package ar.loteria.central.draw;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A tally's winners read back as lists, for tests of any package that compare draws. */
public final class SpilledWinners {
    private SpilledWinners() {
    }

    /** What the tally spilled, by agency in the order of the file, checked against its counts; the spills are deleted. */
    public static Map<Integer, List<String>> of(Tallied result) throws IOException {
        try (result) {
            Map<Integer, List<String>> winners = new HashMap<>();
            for (Spill spill : result.spills()) {
                spill.replay((agency, b, document, length) -> winners.computeIfAbsent(agency, a -> new ArrayList<>())
                        .add(new String(b, document, length, StandardCharsets.US_ASCII)));
            }
            Map<Integer, Count> counted = new HashMap<>();
            winners.forEach((agency, documents) -> counted.put(agency,
                    new Count(documents.size(), documents.stream().mapToLong(d -> 1 + d.length()).sum())));
            assertEquals(counted, result.perAgency(), "the counts the winners file is laid out by");
            return winners;
        }
    }
}
