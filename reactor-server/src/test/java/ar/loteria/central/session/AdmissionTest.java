package ar.loteria.central.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ar.loteria.central.CentralLog;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The admission line: room that comes back goes to the sessions waiting, in turn, one batch each. */
class AdmissionTest {
    private static final long BATCH = Admission.MAX_COST;

    /** Found in review: a release woke every waiting session, and whichever ran first took the room. */
    @Test
    void roomThatComesBackGoesToTheSessionsInLineOneBatchEachInTurn() {
        Admission admission = new Admission(2 * BATCH, new CentralLog());
        admission.take(BATCH);
        admission.take(BATCH);
        assertFalse(admission.hasRoom());
        List<String> admitted = new ArrayList<>();
        for (String name : List.of("a", "b", "c")) {
            admission.await(() -> admitted.add(name));
        }
        admission.release(BATCH);
        assertEquals(List.of("a"), admitted, "room for one batch: one session");
        assertFalse(admission.hasRoom(), "kept for a; and b, c wait ahead of anyone new");
        admission.take(BATCH); // a takes its batch, then gives its grant back
        admission.giveBack();
        assertEquals(List.of("a"), admitted, "no room yet");
        admission.release(BATCH);
        admission.release(BATCH);
        assertEquals(List.of("a", "b", "c"), admitted);
        admission.giveBack();
        admission.giveBack();
        assertTrue(admission.hasRoom());
        assertEquals(0, admission.held());
    }

    @Test
    void aSessionGoneFromTheLinePassesItsTurnOn() {
        Admission admission = new Admission(BATCH, new CentralLog());
        admission.take(BATCH);
        List<String> admitted = new ArrayList<>();
        admission.await(() -> false); // closed while it waited
        admission.await(() -> admitted.add("b"));
        admission.release(BATCH);
        assertEquals(List.of("b"), admitted);
        admission.take(BATCH); // b takes its batch, then gives its grant back
        admission.giveBack();
        assertFalse(admission.hasRoom());
        admission.release(BATCH);
        assertTrue(admission.hasRoom());
    }
}
