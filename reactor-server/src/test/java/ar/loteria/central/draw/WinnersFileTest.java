package ar.loteria.central.draw;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ar.loteria.central.store.BetStorage;
import ar.loteria.central.store.Groups;
import ar.loteria.central.store.StoreFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The draw's winners go through spills and a file, never a list in memory, and come back as the course's helpers find them. */
class WinnersFileTest {
    @TempDir
    Path dir;

    private static List<String> all(Iterator<String> documents) {
        List<String> out = new ArrayList<>();
        documents.forEachRemaining(out::add);
        return out;
    }


    /**
     * Enough winners of interleaved agencies that every spill overflows its buffer into a file and
     * every agency's buffer in the scatter is written many times: each agency reads back its own
     * winners, in the order of bets.csv, whatever piece of the file they were found in.
     */
    @Test
    void winnersOfInterleavedAgenciesComeBackPerAgencyInTheOrderOfTheFile() throws Exception {
        Random random = new Random(7574);
        List<BetStorage.Bet> bets = new ArrayList<>();
        for (int i = 0; i < 150_000; i++) { // about 7 MB, drawn in pieces; half of them win
            bets.add(new BetStorage.Bet(1 + random.nextInt(3), "Ana, María", "Paz", Integer.toString(random.nextInt(1 << (1 + i % 30))),
                    "1990-01-01", random.nextBoolean() ? 7574 : random.nextInt(7000)));
        }
        Groups groups = StoreFiles.committed(dir, bets, 500);
        Path csv = dir.resolve("bets.csv");
        Map<Integer, List<String>> expected = BetStorage.winnersByAgency(csv);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try (WinnersFile winners = WinnersFile.write(dir, DiskTally.of(csv, groups, pool, 3))) {
            assertEquals(150_000, winners.bets());
            assertEquals(expected.values().stream().mapToLong(List::size).sum(), winners.winners());
            for (int agency = 1; agency <= 3; agency++) {
                assertTrue(expected.get(agency).size() > 20_000);
                assertEquals(expected.get(agency).size(), winners.count(agency));
                assertEquals(expected.get(agency), all(winners.documents(agency)), "agency " + agency);
            }
            assertEquals(0, winners.count(4));
            assertFalse(winners.documents(4).hasNext(), "an agency without winners");
        } finally {
            pool.shutdownNow();
        }
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of("bets.commits", "bets.csv", WinnersFile.NAME), files.map(p -> p.getFileName().toString()).sorted().toList(), "no spill is left");
        }
    }

    /** What an earlier run left (a crash in the middle of writing, say) is never read: the file is written anew. */
    @Test
    void whateverAnEarlierRunLeftIsWrittenOver() throws Exception {
        Groups groups = StoreFiles.committed(dir, List.of(new BetStorage.Bet(2, "Ana", "Paz", "30904465", "1990-01-01", 7574),
                new BetStorage.Bet(1, "Ana", "Paz", "11", "1990-01-01", 1),
                new BetStorage.Bet(2, "Ana", "Paz", "00000042", "1990-01-01", 7574)), 2);
        Path csv = dir.resolve("bets.csv");
        byte[] garbage = new byte[100_000];
        new Random(1).nextBytes(garbage);
        Files.write(dir.resolve(WinnersFile.NAME), garbage);
        try (WinnersFile winners = WinnersFile.write(dir, DiskTally.of(csv, groups))) {
            assertEquals(List.of("30904465", "00000042"), all(winners.documents(2)));
            assertFalse(winners.documents(1).hasNext());
        }
        assertEquals(1 + 8 + 1 + 8, Files.size(dir.resolve(WinnersFile.NAME)), "two documents, as WINNERS frames carry them, and nothing else");
    }
}
