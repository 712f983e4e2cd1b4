package ar.loteria.central;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class LineBudgetTest {
    private static final long SECOND = 1_000_000_000L;

    @Test
    void aBurstGoesThroughThenTheRateThenTheCountOfWhatWasLeftOut() {
        LineBudget budget = new LineBudget("test", 3, 2, 0);
        assertEquals(0, budget.take(0));
        assertEquals(0, budget.take(0));
        assertEquals(0, budget.take(0));
        assertEquals(-1, budget.take(0), "the burst is spent");
        assertEquals(-1, budget.take(SECOND / 4));
        assertEquals(2, budget.take(SECOND / 2), "one more line after half a second, and word of the two left out");
        assertEquals(-1, budget.take(SECOND / 2));
        assertEquals(1, budget.take(SECOND));
        assertEquals(0, budget.take(100 * SECOND));
        assertEquals(0, budget.take(100 * SECOND));
        assertEquals(0, budget.take(100 * SECOND));
        assertEquals(-1, budget.take(100 * SECOND), "a long silence refills the burst, no more");
    }
}
