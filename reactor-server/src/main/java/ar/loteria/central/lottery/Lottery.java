package ar.loteria.central.lottery;

import ar.loteria.central.CentralLog;
import ar.loteria.central.reactor.Connection;
import ar.loteria.central.reactor.Session;
import ar.loteria.central.store.Store;

/** What agency sessions share: the store, the draw, who is connected, the log. */
public record Lottery(Store store, Draw draw, Agencies agencies, CentralLog log) {

    public Lottery(Store store, Draw draw, CentralLog log) {
        this(store, draw, new Agencies(log), log);
    }

    /** A session for a connection that speaks the protocol. */
    public Session newSession(Connection connection) {
        return new AgencySession(this, connection);
    }
}
