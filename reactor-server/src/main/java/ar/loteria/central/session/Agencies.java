package ar.loteria.central.session;

import ar.loteria.central.CentralLog;
import java.util.HashMap;
import java.util.Map;

/** Which authenticated connection speaks for each agency: the newest one. Reactor thread only. */
final class Agencies {
    private final Map<Integer, AgencySession> current = new HashMap<>();
    private final CentralLog log;

    Agencies(CentralLog log) {
        this.log = log;
    }

    /** {@code session} now speaks for {@code agency}; an earlier connection of it is closed. */
    void bind(int agency, AgencySession session) {
        AgencySession earlier = current.put(agency, session);
        if (earlier != null && earlier != session) {
            log.agencyReplaced(agency, earlier.ip());
            earlier.replaced();
        }
    }

    void unbind(int agency, AgencySession session) {
        current.remove(agency, session);
    }
}
