package ar.loteria.central;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * FanOut is written out by hand: an event added to the parts' interfaces and forgotten there
 * would reach neither the log nor the status view (each event does nothing by default). Every
 * event must reach the log, then the status view; a question, the log alone.
 */
class FanOutTest {
    @Test
    void everyEventReachesTheLogThenTheStatusViewAndQuestionsTheLogAlone() throws Exception {
        for (Method event : CentralEvents.class.getMethods()) {
            List<String> heard = new ArrayList<>();
            CentralEvents fanOut = FanOut.of(listener("log", heard), listener("status", heard));
            event.invoke(fanOut, arguments(event));
            List<String> expected = event.getReturnType() == void.class
                    ? List.of("log " + event.getName(), "status " + event.getName())
                    : List.of("log " + event.getName());
            assertEquals(expected, heard, event.toString());
        }
    }

    /** A listener that notes each event it hears, and answers questions with what a default would. */
    private static CentralEvents listener(String name, List<String> heard) {
        return (CentralEvents) Proxy.newProxyInstance(CentralEvents.class.getClassLoader(), new Class<?>[] {CentralEvents.class},
                (proxy, event, args) -> {
                    heard.add(name + " " + event.getName());
                    return event.getReturnType() == boolean.class ? Boolean.FALSE : null;
                });
    }

    private static Object[] arguments(Method event) {
        Class<?>[] types = event.getParameterTypes();
        Object[] args = new Object[types.length];
        for (int i = 0; i < types.length; i++) {
            Class<?> t = types[i];
            args[i] = t == int.class ? 0 : t == long.class ? 0L : t == boolean.class ? false : null;
        }
        return args;
    }
}
