package ar.loteria.central.store;

import java.util.Map;

/**
 * Rows of {@code bets.csv} as the store writes them (Python's {@code csv.writer}: agency, first
 * name, last name, document, birthdate, number, {@code \r\n}), counted per agency. What the
 * repair checks a group of a version-2 log by, as that log holds no checksum of its rows: bytes
 * that are not such rows, or rows that do not add up to the offsets the log gives, are damage.
 */
final class RowShape {
    private static final int MAX_AGENCY_DIGITS = 5;
    private static final int MAX_DOCUMENT_DIGITS = 32;
    private static final int MAX_NUMBER_DIGITS = 9;

    /** What a row breaks, and where. */
    private static final class Broken extends Exception {
        private static final long serialVersionUID = 1L;
        private final int at;

        Broken(int at, String what) {
            super(what, null, false, false);
            this.at = at;
        }
    }

    private RowShape() {
    }

    /**
     * Counts the rows of {@code b[0, n)}, which start at byte {@code start} of bets.csv, into
     * {@code perAgency}: null when they are all whole rows, or what is wrong and where.
     */
    static String count(byte[] b, int n, long start, Map<Integer, Long> perAgency) {
        int i = 0;
        try {
            while (i < n) {
                int row = i;
                int agency = (int) digits(b, i, n, MAX_AGENCY_DIGITS, "agency");
                i = comma(b, skipDigits(b, i, n), n);
                i = comma(b, text(b, i, n), n);
                i = comma(b, text(b, i, n), n);
                digits(b, i, n, MAX_DOCUMENT_DIGITS, "document");
                i = comma(b, skipDigits(b, i, n), n);
                i = comma(b, date(b, i, n), n);
                digits(b, i, n, MAX_NUMBER_DIGITS, "number");
                i = skipDigits(b, i, n);
                if (i + 1 >= n || b[i] != '\r' || b[i + 1] != '\n') {
                    throw new Broken(i, "the row that starts at byte " + (start + row) + " does not end with \\r\\n");
                }
                i += 2;
                perAgency.merge(agency, 1L, Long::sum);
            }
            return null;
        } catch (Broken e) {
            return "bets.csv does not hold whole rows at byte " + (start + e.at) + ": " + e.getMessage();
        }
    }

    private static long digits(byte[] b, int i, int n, int most, String field) throws Broken {
        long value = 0;
        int end = skipDigits(b, i, n);
        if (end == i || end - i > most) {
            throw new Broken(i, "the " + field + " is not 1 to " + most + " digits");
        }
        for (int k = i; k < end; k++) {
            value = value * 10 + (b[k] - '0');
        }
        return value;
    }

    private static int skipDigits(byte[] b, int i, int n) {
        while (i < n && b[i] >= '0' && b[i] <= '9') {
            i++;
        }
        return i;
    }

    private static int comma(byte[] b, int i, int n) throws Broken {
        if (i >= n || b[i] != ',') {
            throw new Broken(i, "a field ends without its comma");
        }
        return i + 1;
    }

    /** A name, quoted (inner quotes doubled) or not: where it ends. */
    private static int text(byte[] b, int i, int n) throws Broken {
        if (i < n && b[i] == '"') {
            for (i++; i < n; i++) {
                if (b[i] == '"') {
                    if (i + 1 < n && b[i + 1] == '"') {
                        i++;
                    } else {
                        return i + 1;
                    }
                }
            }
            throw new Broken(i, "a quoted name does not end");
        }
        while (i < n && b[i] != ',') {
            if (b[i] == '"' || b[i] == '\r' || b[i] == '\n') {
                throw new Broken(i, "a name holds a quote or a line break without quotes");
            }
            i++;
        }
        return i;
    }

    /** yyyy-MM-dd: where it ends. */
    private static int date(byte[] b, int i, int n) throws Broken {
        for (int k = 0; k < 10; k++) {
            boolean ok = i + k < n && (k == 4 || k == 7 ? b[i + k] == '-' : b[i + k] >= '0' && b[i + k] <= '9');
            if (!ok) {
                throw new Broken(i, "the birthdate is not yyyy-MM-dd");
            }
        }
        return i + 10;
    }
}
