package ar.loteria.central.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ar.loteria.central.CentralLog;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The in-flight budget's line: room that comes back goes to the sessions waiting, in turn, one batch each. */
class InFlightBudgetTest {
    private static final long BATCH = InFlightBudget.MAX_COST;

    /** Found in review: a release woke every waiting session, and whichever ran first took the room. */
    @Test
    void roomThatComesBackGoesToTheSessionsInLineOneBatchEachInTurn() {
        InFlightBudget budget = new InFlightBudget(2 * BATCH, new CentralLog());
        budget.take(BATCH);
        budget.take(BATCH);
        assertFalse(budget.hasRoom());
        List<String> admitted = new ArrayList<>();
        for (String name : List.of("a", "b", "c")) {
            budget.await(() -> admitted.add(name));
        }
        budget.release(BATCH);
        assertEquals(List.of("a"), admitted, "room for one batch: one session");
        assertFalse(budget.hasRoom(), "kept for a; and b, c wait ahead of anyone new");
        budget.take(BATCH); // a takes its batch, then gives its grant back
        budget.giveBack();
        assertEquals(List.of("a"), admitted, "no room yet");
        budget.release(BATCH);
        budget.release(BATCH);
        assertEquals(List.of("a", "b", "c"), admitted);
        budget.giveBack();
        budget.giveBack();
        assertTrue(budget.hasRoom());
        assertEquals(0, budget.held());
    }

    @Test
    void aSessionGoneFromTheLinePassesItsTurnOn() {
        InFlightBudget budget = new InFlightBudget(BATCH, new CentralLog());
        budget.take(BATCH);
        List<String> admitted = new ArrayList<>();
        budget.await(() -> false); // closed while it waited
        budget.await(() -> admitted.add("b"));
        budget.release(BATCH);
        assertEquals(List.of("b"), admitted);
        budget.take(BATCH); // b takes its batch, then gives its grant back
        budget.giveBack();
        assertFalse(budget.hasRoom());
        budget.release(BATCH);
        assertTrue(budget.hasRoom());
    }
}
