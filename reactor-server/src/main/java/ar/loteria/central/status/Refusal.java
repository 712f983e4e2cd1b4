package ar.loteria.central.status;

/** Why the central turned a peer or a request away, as the status view counts it. */
public enum Refusal {
    /** A new connection closed at once: the connection cap, in total or per address, was reached. */
    CONNECTION_LIMIT,
    /** A connection not authenticated closed at a cap to make room for a newcomer. */
    DISPLACED,
    /** The output budget was passed: the peers holding the most unsent replies were read no more until it drained. */
    OUTPUT_SHED,
    /** Accepting failed (most likely out of file descriptors) and paused. */
    ACCEPT_FAILED,
    /** A proof that did not check out. */
    AUTH_FAILED,
    /** A FAILURE for a broken request (a malformed frame, a message out of turn, an echo line too long...): the connection closes. */
    PROTOCOL_ERROR,
    /** A batch refused whole: an invalid bet, or offsets that would leave a hole or come after ALL_SENT. */
    BATCH_REJECTED;

    /** Its name in the metrics and the JSON. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
