package ar.loteria.central.session;

import java.util.HashMap;
import java.util.Map;

/** Which authenticated connection speaks for each agency: the newest one. Reactor thread only. */
final class Agencies {
    private final Map<Integer, AgencySession> current = new HashMap<>();
    private final SessionEvents log;

    Agencies(SessionEvents log) {
        this.log = log;
    }

    /** {@code session} now speaks for {@code agency}; an earlier connection of it is closed. */
    void bind(int agency, AgencySession session) {
        AgencySession earlier = current.put(agency, session);
        if (earlier != null && earlier != session) {
            log.agencyReplaced(agency, earlier.ip());
            earlier.replaced();
        }
        log.agenciesConnected(current.size());
    }

    void unbind(int agency, AgencySession session) {
        if (current.remove(agency, session)) {
            log.agenciesConnected(current.size());
        }
    }
}
