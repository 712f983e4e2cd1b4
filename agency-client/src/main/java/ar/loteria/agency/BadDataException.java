package ar.loteria.agency;

/** A line of the bets file that is not a valid bet; it says which line and why. */
final class BadDataException extends Exception {
    private static final long serialVersionUID = 1L;

    private final long line;

    BadDataException(long line, String message) {
        super(message);
        this.line = line;
    }

    long line() {
        return line;
    }
}
