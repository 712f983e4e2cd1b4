package ar.loteria.central.draw;

/** What the draw reports, for the log and the status view. Each listener overrides the events it tells or counts; the others are nothing to it. */
public interface DrawEvents {
    /** On the reactor thread: the agency's "all sent" is durable; {@code done} of {@code expected} are done now. */
    default void agencyDone(int agency, long bets, int done, int expected) {
    }

    default void winnersParked(int agency, int done, int expected) {
    }

    /** On the worker that tallied, before any answer is made from it. */
    default void drawn(long bets, long winners, long millis) {
    }

    /** On the worker that tallied: the draw failed, and the central stops. */
    default void drawFailed(String error) {
    }

    /** The draw entered {@code phase} (on the reactor thread; at construction, its first). Not logged: the sorteo lines say it. */
    default void drawPhase(Draw.Phase phase, int agenciesDone) {
    }
}
