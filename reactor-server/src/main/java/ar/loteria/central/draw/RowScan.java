package ar.loteria.central.draw;

/**
 * Reads rows of bets.csv from bytes, keeping only the three fields the draw needs: a bet wins when
 * its number is {@value #WINNING_NUMBER}, as the course's {@code has_won} says, and its agency and
 * document go to the {@link WinnersFound}. Over any file the store writes it finds what the
 * course's {@code load_bets} and {@code has_won} would; a row with the wrong fields is
 * {@link Malformed}, with its offset. Plain scanning loops, one field after the other, which any
 * JIT makes fast. Not thread-safe.
 */
final class RowScan {
    static final int WINNING_NUMBER = 7574;
    private static final int FIELDS = 6;
    private static final int MAX_DOCUMENT = 32;

    /** What a row breaks, before the scan knows where the row is. */
    private static final class Unparsable extends Exception {
        private static final long serialVersionUID = 1L;

        Unparsable(String message) {
            super(message, null, false, false);
        }
    }

    private final WinnersFound found;

    RowScan(WinnersFound found) {
        this.found = found;
    }

    /**
     * Reads the whole rows of {@code b} from {@code i} before {@code end}, {@code b[0]} being byte
     * {@code base} of the file: returns where the first row not whole before {@code end} starts.
     */
    int rows(byte[] b, int i, int end, long base) throws Malformed {
        long rows = 0;
        try {
            for (int next; (next = row(b, i, end)) >= 0; rows++) {
                i = next;
            }
            return i;
        } catch (Unparsable e) {
            throw new Malformed(base + i, e.getMessage());
        } finally {
            found.bets(rows);
        }
    }

    /** Reads the row at {@code i}: where the next one starts, or -1 when the row is not whole before {@code end}. */
    private int row(byte[] b, int i, int end) throws Unparsable {
        int agency = 0;
        while (true) { // the agency, digits
            if (i >= end) {
                return -1;
            }
            byte c = b[i++];
            if (c == ',') {
                break;
            }
            if (c == '\n') {
                throw fields(1);
            }
            agency = digit(agency, c, "agency");
        }
        for (int field = 1; field <= 2; field++) { // the names, quoted or not
            i = skip(b, i, end, field);
            if (i < 0) {
                return -1;
            }
        }
        int document = i;
        while (true) {
            if (i >= end) {
                return -1;
            }
            byte c = b[i];
            if (c == ',') {
                break;
            }
            if (c == '\n') {
                throw fields(4);
            }
            i++;
        }
        int documentEnd = i++;
        while (true) { // the birthdate
            if (i >= end) {
                return -1;
            }
            byte c = b[i++];
            if (c == ',') {
                break;
            }
            if (c == '\n') {
                throw fields(5);
            }
        }
        int number = 0;
        while (true) {
            if (i >= end) {
                return -1;
            }
            byte c = b[i++];
            if (c == '\n') {
                break;
            }
            if (c == ',') {
                throw new Unparsable("the row has more than " + FIELDS + " fields");
            }
            if (c != '\r') {
                number = digit(number, c, "number");
            }
        }
        if (number == WINNING_NUMBER) {
            if (documentEnd - document > MAX_DOCUMENT) {
                throw new Unparsable("a document longer than " + MAX_DOCUMENT + " bytes");
            }
            found.winner(agency, b, document, documentEnd - document);
        }
        return i;
    }

    /** Passes over a text field and its comma: where the next field starts, or -1 when it is not whole before {@code end}. */
    private static int skip(byte[] b, int i, int end, int field) throws Unparsable {
        if (i >= end) {
            return -1;
        }
        if (b[i] != '"') {
            while (true) {
                if (i >= end) {
                    return -1;
                }
                byte c = b[i++];
                if (c == ',') {
                    return i;
                }
                if (c == '\n') {
                    throw fields(field + 1);
                }
            }
        }
        i++;
        while (true) { // inside quotes: commas and line breaks are text; "" is a quote
            if (i >= end) {
                return -1;
            }
            if (b[i++] == '"') {
                if (i >= end) {
                    return -1;
                }
                if (b[i] != '"') {
                    break;
                }
                i++;
            }
        }
        if (b[i] != ',') {
            throw new Unparsable(String.format("unexpected byte 0x%02X after a quoted field", b[i]));
        }
        return i + 1;
    }

    private static int digit(int value, byte c, String field) throws Unparsable {
        if (c < '0' || c > '9') {
            throw new Unparsable("a non-digit in the " + field);
        }
        int v = value * 10 + (c - '0');
        if (v > 0xFFFF) {
            throw new Unparsable("the " + field + " is too large");
        }
        return v;
    }

    private static Unparsable fields(int found) {
        return new Unparsable("the row has " + found + " fields, not " + FIELDS);
    }
}
