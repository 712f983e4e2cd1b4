package ar.loteria.central.store;

/**
 * Acknowledged rows could not be read back: the disk under the store failed to return them (an
 * I/O error). Handled as {@link Damaged}: recorded in bets.state, so that no start draws again
 * on a disk that fails the same way, and a person checks the disk and runs {@link Repair}, which
 * keeps whatever still verifies.
 */
public final class Unreadable extends Damaged {
    private static final long serialVersionUID = 1L;

    Unreadable(String message, Throwable cause) {
        super(message);
        initCause(cause);
    }
}
