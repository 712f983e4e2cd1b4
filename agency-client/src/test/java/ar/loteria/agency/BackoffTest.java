package ar.loteria.agency;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The schedule of waits between tries, on seeded draws. */
class BackoffTest {
    private static final Duration BASE = Duration.ofMillis(100);

    private static List<Duration> waits(Backoff backoff, int n) {
        List<Duration> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(backoff.next());
        }
        return out;
    }

    @Test
    void everyWaitIsBetweenTheBaseAndTheCapAndAtMostThreeTimesTheOneBefore() {
        for (long seed = 0; seed < 200; seed++) {
            List<Duration> waits = waits(new Backoff(BASE, Backoff.CAP, new Random(seed)), 60);
            Duration before = BASE;
            for (Duration w : waits) {
                assertTrue(w.compareTo(BASE) >= 0 && w.compareTo(Backoff.CAP) <= 0, "seed " + seed + ": " + waits);
                assertTrue(w.compareTo(before.multipliedBy(3)) <= 0, "seed " + seed + ": " + waits);
                before = w;
            }
        }
    }

    /** Growth, over many seeds: the typical wait climbs from about the base to seconds, and the cap is reached. */
    @Test
    void theWaitsGrowTowardTheCap() {
        int seeds = 500;
        long[] sums = new long[12];
        int reachedHalfTheCap = 0;
        Duration leastHighest = Backoff.CAP;
        for (long seed = 0; seed < seeds; seed++) {
            List<Duration> waits = waits(new Backoff(BASE, Backoff.CAP, new Random(seed)), 40);
            for (int i = 0; i < sums.length; i++) {
                sums[i] += waits.get(i).toMillis();
            }
            reachedHalfTheCap += waits.stream().anyMatch(w -> w.compareTo(Backoff.CAP.dividedBy(2)) >= 0) ? 1 : 0;
            Duration highest = waits.stream().max(Duration::compareTo).orElseThrow();
            leastHighest = highest.compareTo(leastHighest) < 0 ? highest : leastHighest;
        }
        for (int i = 1; i < 8; i++) {
            assertTrue(sums[i] > sums[i - 1], "the mean wait grows at first: " + java.util.Arrays.toString(sums));
        }
        assertTrue(sums[0] / seeds <= 3 * BASE.toMillis(), "the first wait is short");
        assertTrue(sums[11] / seeds >= 1_000, "after a dozen failures the mean wait is over a second: " + sums[11] / seeds);
        // Decorrelated draws may fall back toward the base, so not every schedule climbs as fast; none stays low.
        assertTrue(reachedHalfTheCap >= seeds * 99 / 100, "nearly every schedule reaches the upper half of the cap within 40 tries: " + reachedHalfTheCap);
        assertTrue(leastHighest.compareTo(Duration.ofSeconds(1)) >= 0, "every schedule waits a second at least once in 40 tries: " + leastHighest);
    }

    /** Drawn, not fixed: two agencies that failed together do not come back in step. */
    @Test
    void twoSeedsGiveTwoSchedules() {
        assertTrue(!waits(new Backoff(BASE, Backoff.CAP, new Random(1)), 5).equals(waits(new Backoff(BASE, Backoff.CAP, new Random(2)), 5)));
        assertTrue(new HashSet<>(waits(new Backoff(BASE, Backoff.CAP, new Random(3)), 30)).size() > 20, "the waits vary");
    }

    @Test
    void aResetMakesTheNextWaitShortAgain() {
        Backoff backoff = new Backoff(BASE, Backoff.CAP, new Random(7));
        waits(backoff, 30);
        backoff.reset();
        assertTrue(backoff.next().compareTo(BASE.multipliedBy(3)) <= 0);
    }

    /** A base of 0 from an old config (connect.backoff: 0s) must not become a tight loop. */
    @Test
    void aZeroBaseStillWaitsAMillisecondAtLeastAndGrows() {
        List<Duration> waits = waits(new Backoff(Duration.ZERO, Backoff.CAP, new Random(5)), 40);
        assertTrue(waits.stream().allMatch(w -> w.compareTo(Duration.ofMillis(1)) >= 0), waits.toString());
        assertTrue(waits.stream().anyMatch(w -> w.compareTo(Duration.ofMillis(100)) > 0), "it grows: " + waits);
    }

    /** An old config's long connect.backoff is honoured: the cap is raised to it. */
    @Test
    void aBaseOverTheCapIsEveryWait() {
        assertEquals(List.of(Duration.ofSeconds(8), Duration.ofSeconds(8), Duration.ofSeconds(8)),
                waits(new Backoff(Duration.ofSeconds(8), Backoff.CAP, new Random(9)), 3));
    }
}
