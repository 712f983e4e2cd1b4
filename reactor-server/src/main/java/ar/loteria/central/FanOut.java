package ar.loteria.central;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;

/**
 * Raises each event of the central's parts on the log, then on the status view: the line is out
 * before the figure changes, as it is before the event's effect leaves the process. Questions
 * (what returns an answer, as {@link CentralEvents#logsEachBet}) are the log's. Used only when the
 * status view is on; otherwise the parts talk to the log alone.
 *
 * <p>The rule is the same for every event, so it is written once, as a proxy, rather than once an
 * event: an event added to the parts' interfaces reaches both without a line here.
 */
final class FanOut implements InvocationHandler {
    private final CentralEvents log;
    private final CentralEvents status;

    private FanOut(CentralEvents log, CentralEvents status) {
        this.log = log;
        this.status = status;
    }

    static CentralEvents of(CentralEvents log, CentralEvents status) {
        return (CentralEvents) Proxy.newProxyInstance(CentralEvents.class.getClassLoader(), new Class<?>[] {CentralEvents.class},
                new FanOut(log, status));
    }

    @Override
    public Object invoke(Object proxy, Method event, Object[] args) throws Throwable {
        try {
            Object answer = event.invoke(log, args);
            if (event.getReturnType() == void.class) {
                event.invoke(status, args);
            }
            return answer;
        } catch (InvocationTargetException e) {
            throw e.getCause(); // what the log or the status view threw, as a direct call would throw it
        }
    }
}
