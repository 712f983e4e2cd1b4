package ar.loteria.central.lottery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import ar.loteria.central.CentralLog;
import ar.loteria.central.store.Store;
import ar.loteria.wire.AgencyMessage.BetBatch;
import ar.loteria.wire.Bet;
import ar.loteria.wire.WireError;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DrawTest {
    @TempDir
    Path dir;

    /** Remembers what the draw told a parked agency. */
    private static final class Listener implements WinnersListener {
        final AtomicReference<Object> told = new AtomicReference<>();

        @Override
        public void winners(List<String> documents) {
            told.set(documents);
        }

        @Override
        public void failed(WireError error) {
            told.set(error);
        }
    }

    @Test
    void aDrawCancelledByShutdownTellsParkedAgenciesNothingAndOneThatRunsTellsThemTheirWinners() throws Exception {
        try (Store store = Store.open(dir, new CentralLog(), Runnable::run)) {
            store.saveBatch(1, new BetBatch(1, List.of(new Bet("Ana", "Paz", "42", "1990-01-01", 7574))), o -> { });
            for (boolean cancel : new boolean[] {true, false}) {
                List<Runnable> worker = new ArrayList<>();
                Draw draw = new Draw(1, Set.of(), store, worker::add, Runnable::run, new CentralLog());
                Listener parked = new Listener();
                draw.query(1, parked);
                draw.agencyDone(1, 1);
                if (cancel) {
                    draw.cancel();
                }
                worker.forEach(Runnable::run);
                if (cancel) {
                    assertNull(parked.told.get(), "no FAILURE for a draw the next start redoes");
                } else {
                    assertEquals(List.of("42"), parked.told.get());
                }
            }
        }
    }
}
