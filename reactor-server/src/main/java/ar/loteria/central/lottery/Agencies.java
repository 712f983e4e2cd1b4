package ar.loteria.central.lottery;

import ar.loteria.central.CentralLog;
import ar.loteria.central.reactor.Connection;
import java.util.HashMap;
import java.util.Map;

/** Which connection speaks for each agency: the newest one. Reactor thread only. */
public final class Agencies {
    private final Map<Integer, Connection> current = new HashMap<>();
    private final CentralLog log;

    Agencies(CentralLog log) {
        this.log = log;
    }

    /** {@code connection} now speaks for {@code agency}; an earlier connection of it is closed. */
    void bind(int agency, Connection connection) {
        Connection earlier = current.put(agency, connection);
        if (earlier != null && earlier != connection) {
            log.agencyReplaced(agency, earlier.ip());
            earlier.close("replaced by a new connection of agency " + agency);
        }
    }

    void unbind(int agency, Connection connection) {
        current.remove(agency, connection);
    }
}
