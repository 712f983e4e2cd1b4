package ar.loteria.central;

import ar.loteria.central.draw.DrawEvents;
import ar.loteria.central.reactor.ReactorEvents;
import ar.loteria.central.session.SessionEvents;
import ar.loteria.central.store.StoreEvents;

/** Every event the central's parts raise: the log takes them all, and so does the status view when it is on. */
public interface CentralEvents extends ReactorEvents, SessionEvents, StoreEvents, DrawEvents {
}
