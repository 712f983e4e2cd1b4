package ar.loteria.central;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** When several causes stop the central, the gravest decides its exit code: a supervisor must restart a central whose store failed. */
class StopTest {
    @Test
    void aStoreThatFailsAfterTheSignalStillExitsAsAFailedStore() {
        Stop signal = Stop.requested("SIGTERM");
        assertEquals(0, signal.exitCode());
        assertEquals(Stop.STORE_FAILED, signal.graver(Stop.STORE_FAILURE).exitCode());
        assertEquals(Stop.STORE_FAILED, Stop.DRAW_FAILURE.graver(Stop.STORE_FAILURE).exitCode());
        assertEquals(Stop.STORE_FAILED, Stop.STORE_FAILURE.graver(Stop.DRAW_FAILURE).exitCode());
        assertEquals(Stop.DRAW_FAILED, signal.graver(Stop.DRAW_FAILURE).exitCode());
    }

    @Test
    void damageFoundByTheDrawOutranksAPlainStoreFailureEitherWay() {
        assertEquals(Stop.STORE_DAMAGE, Stop.STORE_FAILURE.graver(Stop.STORE_DAMAGE));
        assertEquals(Stop.STORE_DAMAGE, Stop.STORE_DAMAGE.graver(Stop.STORE_FAILURE));
    }

    @Test
    void theFirstOfTwoSignalsIsTheOneNamed() {
        assertEquals("SIGTERM", Stop.requested("SIGTERM").graver(Stop.requested("SIGINT")).reason());
    }
}
