package ar.loteria.central.reactor;

/**
 * What the reactor reports, for the application to log as it likes. Called on the reactor thread.
 * Each listener overrides the events it tells or counts; the others are nothing to it.
 */
public interface ReactorEvents {
    default void listening(String address) {
    }

    default void accepted(String ip) {
    }

    /** A new connection closed at once, past a limit, as no connection there may be displaced. */
    default void refused(String ip, String limit) {
    }

    /** A connection not authenticated closed to make room for a newcomer from {@code newcomerIp}, at {@code limit}. */
    default void displaced(String ip, String newcomerIp, String limit) {
    }

    /** The replies not yet written passed the output budget: peers holding more are read no more until it drains. */
    default void outputShed(long heldBytes, long budgetBytes) {
    }

    /** Back below the output budget's low water mark: the {@code resumed} connections shed are read again. */
    default void outputDrained(long heldBytes, int resumed) {
    }

    /** Accepting failed (most likely out of file descriptors) and pauses for {@code millis}. */
    default void acceptPaused(String error, long millis) {
    }

    default void closed(String ip, String reason) {
    }

    /** A bug met while serving one connection, which is closed; the others go on. */
    default void unexpected(String ip, RuntimeException error) {
    }

    /**
     * The timeouts were swept, as they are at least once a second: the loop is alive, and its
     * connections hold {@code queuedReplyBytes} of replies not yet written. Not logged: the status
     * view shows it.
     */
    default void swept(long queuedReplyBytes) {
    }
}
