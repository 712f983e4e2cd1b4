package ar.loteria.central.status;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ar.loteria.wire.ErrorCode;
import ar.loteria.wire.WireError;
import org.junit.jupiter.api.Test;

/** The view never runs ahead of the log: a commit group's figures change once its lines are out. */
class CentralStatusTest {
    @Test
    void aGroupsBatchesShowOnlyOnceItsLinesAreOut() {
        CentralStatus status = new CentralStatus(1, 1 << 20, 10);
        status.groupLogging();
        status.batchStored(1, 0, 10, 10);
        status.batchStored(1, 10, 10, 4);
        status.batchRejected(1, 20, 5, new WireError(ErrorCode.INVALID_BIRTHDATE, "a birthdate after today"));
        Snapshot held = status.snapshot();
        assertEquals(0, held.betsStored(), "the group's lines may still be in stdout's buffer");
        assertEquals(0, held.batchesStored());
        assertEquals(0, held.refusals().get(Refusal.BATCH_REJECTED));

        status.groupLogged();
        Snapshot out = status.snapshot();
        assertEquals(14, out.betsStored());
        assertEquals(2, out.batchesStored());
        assertEquals(1, out.refusals().get(Refusal.BATCH_REJECTED));

        status.groupLogging();
        status.groupLogged();
        assertEquals(14, status.snapshot().betsStored(), "a group is counted once");
    }
}
