package ar.loteria.central.draw;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The draw's arithmetic: over the rows of {@code bets.csv}, which bets won (their number is
 * 7574, as the course's {@code has_won} says) and whose they are. It reads the rows as bytes, as
 * they come, keeping only the three fields it needs and making a String only for a winner, so a
 * draw over ten million bets takes one pass and no memory that grows with them.
 *
 * <p>Fed any split of the file ({@link #feed}), it gives the same answer as the course's
 * {@code load_bets} and {@code has_won} would. Not thread-safe.
 */
public final class Tally {
    static final int WINNING_NUMBER = 7574;
    private static final int AGENCY = 0;
    private static final int DOCUMENT = 3;
    private static final int NUMBER = 5;
    private static final int FIELDS = 6;
    private static final int MAX_DOCUMENT = 32;

    /** The winners of each agency, in the order of the file, and how many bets there were. */
    public record Result(Map<Integer, List<String>> winners, long bets) {
        public long winnerCount() {
            return winners.values().stream().mapToLong(List::size).sum();
        }
    }

    /** The file is not what the store writes. */
    public static final class Malformed extends IOException {
        private static final long serialVersionUID = 1L;

        Malformed(String message) {
            super(message);
        }
    }

    private final Map<Integer, List<String>> winners = new HashMap<>();
    private final byte[] document = new byte[MAX_DOCUMENT];
    private int documentLength;
    private long bets;
    private int field;
    private boolean quoted;
    /** In a quoted field, a quote was just read: it closes the field, or is the first of a doubled one. */
    private boolean quoteSeen;
    private boolean fieldStart = true;
    private int agency;
    private int number;
    private boolean digitsOnly = true;

    /** Reads the first {@code bytes} of {@code csv}. */
    public static Result of(Path csv, long bytes) throws IOException {
        Tally tally = new Tally();
        try (FileChannel file = FileChannel.open(csv, StandardOpenOption.READ)) {
            ByteBuffer chunk = ByteBuffer.allocateDirect(1 << 20);
            long left = bytes;
            while (left > 0) {
                chunk.clear().limit((int) Math.min(chunk.capacity(), left));
                int n = file.read(chunk);
                if (n < 0) {
                    throw new Malformed(csv + " ended " + left + " bytes before its committed size");
                }
                left -= n;
                tally.feed(chunk.flip());
            }
        }
        return tally.result();
    }

    /** The next bytes of the file. */
    public void feed(ByteBuffer chunk) throws Malformed {
        while (chunk.hasRemaining()) {
            byte b = chunk.get();
            if (quoted) {
                if (quoteSeen) {
                    quoteSeen = false;
                    if (b == '"') {
                        continue; // a doubled quote inside the field
                    }
                    quoted = false; // that quote closed the field: b is what follows it
                } else {
                    if (b == '"') {
                        quoteSeen = true;
                    }
                    continue;
                }
            }
            if (b == '"' && fieldStart) {
                quoted = true;
                fieldStart = false;
                digitsOnly = false;
                continue;
            }
            fieldStart = false;
            switch (b) {
                case ',':
                    endField();
                    break;
                case '\r':
                    break;
                case '\n':
                    endField();
                    endRow();
                    break;
                default:
                    take(b);
            }
        }
    }

    private void take(byte b) throws Malformed {
        if (field == AGENCY || field == NUMBER) {
            if (b < '0' || b > '9') {
                throw new Malformed("row " + (bets + 1) + ": a non-digit in the " + (field == AGENCY ? "agency" : "number"));
            }
            int value = (field == AGENCY ? agency : number) * 10 + (b - '0');
            if (value > 0xFFFF) {
                throw new Malformed("row " + (bets + 1) + ": the " + (field == AGENCY ? "agency" : "number") + " is too large");
            }
            if (field == AGENCY) {
                agency = value;
            } else {
                number = value;
            }
        } else if (field == DOCUMENT) {
            if (documentLength == MAX_DOCUMENT) {
                throw new Malformed("row " + (bets + 1) + ": a document longer than " + MAX_DOCUMENT + " bytes");
            }
            document[documentLength++] = b;
        }
    }

    private void endField() throws Malformed {
        if (field == AGENCY && !digitsOnly || field == NUMBER && !digitsOnly) {
            throw new Malformed("row " + (bets + 1) + ": the " + (field == AGENCY ? "agency" : "number") + " is quoted");
        }
        field++;
        fieldStart = true;
        digitsOnly = true;
        if (field > FIELDS) {
            throw new Malformed("row " + (bets + 1) + " has more than " + FIELDS + " fields");
        }
    }

    private void endRow() throws Malformed {
        if (field != FIELDS) {
            throw new Malformed("row " + (bets + 1) + " has " + field + " fields, not " + FIELDS);
        }
        bets++;
        if (number == WINNING_NUMBER) {
            winners.computeIfAbsent(agency, a -> new ArrayList<>()).add(new String(document, 0, documentLength, StandardCharsets.US_ASCII));
        }
        field = 0;
        agency = 0;
        number = 0;
        documentLength = 0;
    }

    /** What was fed so far, which must end on a whole row. */
    public Result result() throws Malformed {
        if (field != 0 || !fieldStart || quoted) {
            throw new Malformed("the rows end in the middle of row " + (bets + 1));
        }
        return new Result(winners, bets);
    }
}
