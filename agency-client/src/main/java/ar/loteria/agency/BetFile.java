package ar.loteria.agency;

import ar.loteria.wire.Bet;
import ar.loteria.wire.BetRules;
import ar.loteria.wire.WireError;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;

/**
 * An agency's bets file, read as bytes a line at a time, so memory does not grow with the file
 * and no object is made per bet: {@code first_name,last_name,document,birthdate,number}, UTF-8,
 * lines ending in {@code \n} or {@code \r\n}, fields quoted as CSV quotes them when they hold a
 * comma. Every bet is checked by the same rules the central applies; the first bad line stops
 * the reading with its number. A plain row, as almost all are, is read in one pass by
 * {@link PlainRow}; any other goes line by line, field by field.
 */
final class BetFile implements BetSource {
    /** A line longer than this is not a bet: stop before buffering a runaway line. */
    static final int MAX_LINE_BYTES = 1024;
    private static final int FIELDS = 5;
    private static final int BUFFER_BYTES = 64 * 1024;

    private final InputStream in;
    private final long size;
    private final LocalDate today;
    private final boolean plainRows;
    /** The file's bytes, and one more: a '\n' always stands just past them, where a scan stops. */
    private final byte[] buffer = new byte[BUFFER_BYTES + 1];
    /** Quoted fields, unescaped: a bet's fields all point into one array, the buffer or this one. */
    private final byte[] unquoted = new byte[2 * MAX_LINE_BYTES];
    private final int[] start = new int[FIELDS];
    private final int[] length = new int[FIELDS];
    private final RawBet bet = new RawBet();
    private int position;
    private int limit;
    private long consumed;
    private long lineNumber;
    private boolean again;
    private boolean ended;

    private BetFile(InputStream in, long size, LocalDate today, boolean plainRows) {
        this.in = in;
        this.size = size;
        this.today = today;
        this.plainRows = plainRows;
        buffer[0] = '\n';
    }

    static BetFile open(Path path, Clock clock) throws IOException {
        return new BetFile(Files.newInputStream(path), Files.size(path), BetRules.today(clock), true);
    }

    /** The file read a line at a time only, each row split and checked field by field: what {@link PlainRow} must agree with. */
    static BetFile lineByLine(Path path, Clock clock) throws IOException {
        return new BetFile(Files.newInputStream(path), Files.size(path), BetRules.today(clock), false);
    }

    @Override
    public RawBet next() throws IOException, BadDataException {
        if (again) {
            again = false;
            return bet;
        }
        if (plainRows) {
            int end = PlainRow.read(buffer, position, limit, ended, today, bet);
            if (end >= 0) { // a whole valid row, read in one pass; anything else takes the way below
                lineNumber++;
                int next = end < limit ? end + 1 : end;
                consumed += next - position;
                position = next;
                return bet;
            }
        }
        while (true) {
            int end = nextLine();
            if (end < 0) {
                return null;
            }
            int lineStart = position;
            position = end < limit ? end + 1 : end;
            int lineEnd = end > lineStart && buffer[end - 1] == '\r' ? end - 1 : end;
            if (lineEnd > lineStart) { // blank lines carry no bet
                parse(lineStart, lineEnd);
                return bet;
            }
        }
    }

    @Override
    public void unread() {
        again = true;
    }

    @Override
    public long skip(long bets) throws IOException, BadDataException {
        long skipped = 0;
        if (again && bets > 0) {
            again = false;
            skipped++;
        }
        while (skipped < bets) {
            int end = nextLine();
            if (end < 0) {
                break;
            }
            int lineStart = position;
            position = end < limit ? end + 1 : end;
            int lineEnd = end > lineStart && buffer[end - 1] == '\r' ? end - 1 : end;
            if (lineEnd > lineStart) {
                skipped++;
            }
        }
        return skipped;
    }

    /**
     * Where the next line ends (its '\n', or the end of the data when the file's last line has
     * none), with the line whole in the buffer from {@link #position}; -1 at the end of the file.
     * Counts the line.
     */
    private int nextLine() throws IOException, BadDataException {
        int searched = position;
        while (true) {
            for (int i = searched; i < limit; i++) {
                if (buffer[i] == '\n') {
                    return counted(i);
                }
            }
            searched = limit;
            if (limit - position > MAX_LINE_BYTES) {
                throw new BadDataException(lineNumber + 1, "line longer than " + MAX_LINE_BYTES + " bytes");
            }
            if (ended) {
                if (position == limit) {
                    return -1;
                }
                return counted(limit); // a last line without its '\n'
            }
            if (position > 0) { // make room: the line so far goes to the start
                System.arraycopy(buffer, position, buffer, 0, limit - position);
                limit -= position;
                searched -= position;
                position = 0;
            }
            int n = in.read(buffer, limit, BUFFER_BYTES - limit);
            if (n < 0) {
                ended = true;
            } else {
                limit += n;
            }
            buffer[limit] = '\n';
        }
    }

    private int counted(int end) throws BadDataException {
        if (end - position > MAX_LINE_BYTES + 1) { // the +1 for a '\r' before the '\n'
            throw new BadDataException(lineNumber + 1, "line longer than " + MAX_LINE_BYTES + " bytes");
        }
        lineNumber++;
        consumed += end - position + (end < limit ? 1 : 0);
        return end;
    }

    private void parse(int from, int to) throws BadDataException {
        if (!BetRules.isUtf8(buffer, from, to - from)) {
            throw new BadDataException(lineNumber, "not valid UTF-8");
        }
        byte[] fields = split(from, to);
        strip(fields, 2);
        strip(fields, 3);
        strip(fields, 4);
        bet.bytes = fields;
        bet.first = start[0];
        bet.firstLength = length[0];
        bet.last = start[1];
        bet.lastLength = length[1];
        bet.document = start[2];
        bet.documentLength = length[2];
        bet.birthdate = start[3];
        bet.number = number(fields, start[4], length[4]);
        WireError broken = BetRules.checkName("first name", fields, start[0], length[0]);
        if (broken == null) {
            broken = BetRules.checkName("last name", fields, start[1], length[1]);
        }
        if (broken == null) {
            broken = BetRules.checkDocument(fields, start[2], length[2]);
        }
        if (broken == null && length[3] != BetRules.BIRTHDATE_LENGTH) {
            throw new BadDataException(lineNumber, "birthdate must be yyyy-MM-dd: \"" + text(fields, 3) + "\"");
        }
        if (broken == null) {
            broken = BetRules.checkBirthdate(fields, start[3], today);
        }
        if (broken == null) {
            broken = BetRules.checkNumber(bet.number);
        }
        if (broken != null) {
            throw new BadDataException(lineNumber, broken.reason());
        }
    }

    /**
     * Finds the five fields of the line: where they lie, in the buffer when no field is quoted,
     * else all in {@link #unquoted} (a quoted field may hold commas and doubled quotes).
     */
    private byte[] split(int from, int to) throws BadDataException {
        boolean quoted = false;
        for (int i = from; i < to; i++) {
            if (buffer[i] == '"') {
                quoted = true;
                break;
            }
        }
        if (!quoted) {
            int field = 0;
            int fieldStart = from;
            for (int i = from; i <= to; i++) {
                if (i == to || buffer[i] == ',') {
                    if (field == FIELDS) {
                        throw fieldCount(from, to);
                    }
                    start[field] = fieldStart;
                    length[field++] = i - fieldStart;
                    fieldStart = i + 1;
                }
            }
            if (field != FIELDS) {
                throw fieldCount(from, to);
            }
            return buffer;
        }
        int out = 0;
        int field = 0;
        int i = from;
        while (true) {
            if (field == FIELDS) {
                throw fieldCount(from, to);
            }
            start[field] = out;
            if (i < to && buffer[i] == '"') {
                i++;
                while (true) {
                    if (i >= to) {
                        throw new BadDataException(lineNumber, "a quoted field is never closed");
                    }
                    byte c = buffer[i++];
                    if (c == '"') {
                        if (i < to && buffer[i] == '"') {
                            i++;
                        } else {
                            break;
                        }
                    }
                    unquoted[out++] = c;
                }
                if (i < to && buffer[i] != ',') {
                    throw new BadDataException(lineNumber, "text after a closing quote");
                }
            } else {
                while (i < to && buffer[i] != ',') {
                    unquoted[out++] = buffer[i++];
                }
            }
            length[field++] = out - start[field - 1];
            if (i >= to) {
                break;
            }
            i++; // the comma
        }
        if (field != FIELDS) {
            throw fieldCount(from, to);
        }
        return unquoted;
    }

    private BadDataException fieldCount(int from, int to) {
        int fields = 1;
        for (int i = from; i < to; i++) {
            fields += buffer[i] == ',' ? 1 : 0;
        }
        return new BadDataException(lineNumber, "expected 5 fields (first_name,last_name,document,birthdate,number), found " + fields);
    }

    /** Spaces around a document, a date or a number are no part of them. */
    private void strip(byte[] fields, int field) {
        while (length[field] > 0 && isSpace(fields[start[field]])) {
            start[field]++;
            length[field]--;
        }
        while (length[field] > 0 && isSpace(fields[start[field] + length[field] - 1])) {
            length[field]--;
        }
    }

    private String text(byte[] fields, int field) {
        return new String(fields, start[field], length[field], StandardCharsets.UTF_8);
    }

    private static boolean isSpace(byte b) {
        return b == ' ' || b == '\t';
    }

    private int number(byte[] b, int off, int len) throws BadDataException {
        if (len == 0 || len > 9) {
            throw notAnInteger(b, off, len);
        }
        int n = 0;
        for (int i = off; i < off + len; i++) {
            if (b[i] < '0' || b[i] > '9') {
                throw notAnInteger(b, off, len);
            }
            n = n * 10 + (b[i] - '0');
        }
        return n;
    }

    private BadDataException notAnInteger(byte[] b, int off, int len) {
        return new BadDataException(lineNumber, "number is not an integer: \"" + new String(b, off, len, StandardCharsets.UTF_8) + "\"");
    }

    /** The rules, for a bet given as text (the environment's): the exception to throw, or null. */
    static BadDataException check(Bet bet, long line) {
        return BetRules.check(bet, BetRules.today(Clock.systemUTC())).map(e -> new BadDataException(line, e.reason())).orElse(null);
    }

    @Override
    public int percentRead() {
        return size == 0 ? 100 : (int) Math.min(100, consumed * 100 / size);
    }

    @Override
    public boolean single() {
        return false;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
