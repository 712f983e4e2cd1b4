package ar.loteria.central.session;

import ar.loteria.wire.WireError;

/**
 * What the sessions report, for the log and the status view. Called on the reactor thread. Each
 * listener overrides the events it tells or counts; the others are nothing to it.
 */
public interface SessionEvents {
    /**
     * A line is echoed: its bytes are {@code line[from, to)}, without its line end, valid only
     * during the call (a listener that keeps the text makes its own String, when it wants it).
     */
    default void echoed(String ip, byte[] line, int from, int to) {
    }

    default void echoLineTooLong(String ip, int limit) {
    }

    /** A peer broke the protocol and is told so with a FAILURE; {@code agency} is 0 before it said which it is. */
    default void protocolError(String ip, int agency, WireError error) {
    }

    default void authFailed(String ip, int claimed) {
    }

    /** A proof for an agency that does not exist; the peer is told only that authentication failed. */
    default void unknownAgency(String ip, int claimed, int agencies) {
    }

    default void agencyConnected(int agency, String ip, long stored, boolean done) {
    }

    default void agencyReplaced(int agency, String oldIp) {
    }

    default void winnersSent(int agency, long winners) {
    }

    default void closedAtShutdown(String ip, int agency) {
    }

    /** How many agencies have an authenticated connection now. Not logged: the status view shows it. */
    default void agenciesConnected(int count) {
    }

    /** The batches on their way to disk now, and the bytes they hold against the budget. Not logged: the status view shows it. */
    default void inFlight(int batches, long bytes) {
    }
}
