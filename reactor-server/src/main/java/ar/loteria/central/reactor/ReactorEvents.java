package ar.loteria.central.reactor;

/** What the reactor reports, for the application to log as it likes. Called on the reactor thread. */
public interface ReactorEvents {
    void listening(String address);

    void accepted(String ip);

    /** A new connection closed at once, past a limit. */
    void refused(String ip, String limit);

    /** Accepting failed (most likely out of file descriptors) and pauses for {@code millis}. */
    void acceptPaused(String error, long millis);

    void closed(String ip, String reason);

    /** A bug met while serving one connection, which is closed; the others go on. */
    void unexpected(String ip, RuntimeException error);

    /**
     * The timeouts were swept, as they are at least once a second: the loop is alive, and its
     * connections hold {@code queuedReplyBytes} of replies not yet written. Not logged: the status
     * view shows it.
     */
    default void swept(long queuedReplyBytes) {
    }
}
