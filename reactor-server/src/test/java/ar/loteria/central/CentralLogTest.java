package ar.loteria.central;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Every event the parts raise has its line in the log: each event does nothing by default (so the
 * status view overrides only what it counts), and an event the log forgot would lose its line
 * without a word from the compiler.
 */
class CentralLogTest {
    /** Shown by the status view alone, as their interfaces say. */
    private static final Set<String> NOT_LOGGED = Set.of("swept", "agenciesConnected", "inFlight", "drawPhase");

    @Test
    void theLogTellsEveryEventButThoseOnlyTheStatusViewShows() {
        List<String> untold = Arrays.stream(CentralEvents.class.getMethods())
                .filter(event -> !NOT_LOGGED.contains(event.getName()))
                .filter(event -> !declaredByTheLog(event))
                .map(Method::getName)
                .toList();
        assertEquals(List.of(), untold);
    }

    private static boolean declaredByTheLog(Method event) {
        try {
            CentralLog.class.getDeclaredMethod(event.getName(), event.getParameterTypes());
            return true;
        } catch (NoSuchMethodException e) {
            return false;
        }
    }
}
