package ar.loteria.central.draw;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The draw's arithmetic: over the rows of {@code bets.csv}, which bets won (their number is
 * 7574, as the course's {@code has_won} says) and whose they are. It reads the rows as bytes, as
 * they come, keeping only the three fields it needs, so a draw over ten million bets takes one
 * pass. Its winners go to a {@link Spill} in the order of the file, and only their count per
 * agency stays in memory: memory grows neither with the bets nor with the winners.
 *
 * <p>Over any file the store writes, fed in any split ({@link #feed}), it gives the same answer
 * as the course's {@code load_bets} and {@code has_won} would; anything else (a row with the
 * wrong fields, a row longer than any the store writes) is {@link Malformed}. Not thread-safe.
 */
public final class Tally {
    static final int WINNING_NUMBER = 7574;
    private static final int FIELDS = 6;
    private static final int MAX_DOCUMENT = 32;
    /** Far more than any row the store writes (a few hundred bytes): a longer one is damage. */
    private static final int MAX_ROW = 64 * 1024;
    private static final int CHUNK = 1 << 20;

    /** How many winners an agency has, and the bytes their documents take as {@code str8}s (a length byte each). */
    public record Count(long documents, long bytes) {
        Count plus(Count other) {
            return new Count(documents + other.documents, bytes + other.bytes);
        }
    }

    /**
     * The winners, spilled in the order of the file (piece after piece), how many each agency has,
     * and how many bets there were. Closing it deletes the spills.
     */
    public record Result(List<Spill> spills, Map<Integer, Count> perAgency, long bets) implements Closeable {
        public long winnerCount() {
            return perAgency.values().stream().mapToLong(Count::documents).sum();
        }

        @Override
        public void close() throws IOException {
            IOException failed = null;
            for (Spill spill : spills) {
                try {
                    spill.close();
                } catch (IOException e) {
                    failed = e;
                }
            }
            if (failed != null) {
                throw failed;
            }
        }
    }

    /** The file is not what the store writes. */
    public static final class Malformed extends IOException {
        private static final long serialVersionUID = 1L;

        Malformed(String message) {
            super(message);
        }
    }

    private final Spill winners;
    private final Map<Integer, Count> perAgency = new HashMap<>();
    private long bets;
    /** The start of a row the last bytes fed cut short, waiting for the rest. */
    private byte[] carry = new byte[1024];
    private int carried;

    /** A tally whose winners spill into {@code spillDirectory}. */
    public Tally(Path spillDirectory) {
        winners = new Spill(spillDirectory);
    }

    /** Reads the first {@code bytes} of {@code csv}; the winners spill next to it. */
    public static Result of(Path csv, long bytes) throws IOException {
        Tally tally = new Tally(spillDirectory(csv));
        try (FileChannel file = FileChannel.open(csv, StandardOpenOption.READ)) {
            tally.read(file, 0, bytes);
            return tally.result();
        } catch (IOException | RuntimeException | Error e) {
            tally.winners.close();
            throw e;
        }
    }

    private static Path spillDirectory(Path csv) {
        Path parent = csv.toAbsolutePath().getParent();
        return parent == null ? Path.of(".") : parent;
    }

    /**
     * Reads the first {@code bytes} of {@code csv} in {@code parts} pieces cut at row ends, on as
     * many threads as {@code helpers} lends and the calling one: what a tally of ten million rows
     * needs to finish in well under a second. The calling thread takes any piece no helper took,
     * so a busy or single-threaded pool only makes it slower. The rows of {@code bets.csv} never
     * hold a line break (the rules refuse control characters in names); should a piece not end on
     * a whole row all the same, the file is read again in one pass.
     */
    public static Result of(Path csv, long bytes, Executor helpers, int parts) throws IOException {
        if (parts <= 1 || bytes < 4L << 20) {
            return of(csv, bytes);
        }
        long[] cuts = new long[parts + 1];
        try (FileChannel file = FileChannel.open(csv, StandardOpenOption.READ)) {
            for (int p = 1; p < parts; p++) {
                cuts[p] = Math.max(cuts[p - 1], rowStartAfter(file, bytes * p / parts, bytes));
            }
        }
        cuts[parts] = bytes;
        Tally[] tallies = new Tally[parts];
        Throwable[] failures = new Throwable[parts];
        AtomicInteger next = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(parts);
        Runnable worker = () -> {
            for (int p; (p = next.getAndIncrement()) < parts; ) {
                tallies[p] = new Tally(spillDirectory(csv));
                try (FileChannel file = FileChannel.open(csv, StandardOpenOption.READ)) {
                    tallies[p].read(file, cuts[p], cuts[p + 1] - cuts[p]);
                    tallies[p].result(); // each piece ends on a whole row
                } catch (Throwable e) { // kept for the calling thread, which must not merge a piece that failed
                    failures[p] = e;
                } finally {
                    done.countDown();
                }
            }
        };
        for (int h = 1; h < parts; h++) {
            try {
                helpers.execute(worker);
            } catch (RejectedExecutionException e) {
                break; // the pool is stopping: this thread does it all
            }
        }
        worker.run();
        try {
            done.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("the tally was interrupted");
        }
        List<Spill> spills = new ArrayList<>(parts);
        Map<Integer, Count> perAgency = new HashMap<>();
        long bets = 0;
        for (Tally t : tallies) {
            if (t != null) {
                spills.add(t.winners);
                t.perAgency.forEach((agency, count) -> perAgency.merge(agency, count, Count::plus));
                bets += t.bets;
            }
        }
        Result all = new Result(spills, perAgency, bets);
        for (Throwable failure : failures) {
            if (failure != null) {
                all.close(); // the pieces' winners are not the answer
            }
            if (failure instanceof Malformed) {
                return of(csv, bytes); // a piece cut inside a row after all: one pass decides
            } else if (failure instanceof IOException e) {
                throw e;
            } else if (failure instanceof RuntimeException e) {
                throw e;
            } else if (failure instanceof Error e) {
                throw e;
            }
        }
        return all;
    }

    /** Where the first row that starts at or after {@code at} starts (just past a line end), or {@code end}. */
    private static long rowStartAfter(FileChannel file, long at, long end) throws IOException {
        if (at == 0) {
            return 0;
        }
        ByteBuffer window = ByteBuffer.allocate(4096);
        for (long position = at - 1; position < end; position += window.capacity()) {
            window.clear().limit((int) Math.min(window.capacity(), end - position));
            int n = file.read(window, position);
            for (int i = 0; i < n; i++) {
                if (window.get(i) == '\n') {
                    return position + i + 1;
                }
            }
        }
        return end;
    }

    /**
     * Reads {@code length} bytes of {@code file} from {@code from}, a mebibyte at a time; the start
     * of a row cut by the end of a read moves to the front of the buffer, and the next read
     * follows it.
     */
    private void read(FileChannel file, long from, long length) throws IOException {
        byte[] buffer = new byte[CHUNK];
        int kept = 0;
        long position = from;
        long left = length;
        while (left > 0) {
            if (kept > MAX_ROW) {
                throw longRow();
            }
            int n = file.read(ByteBuffer.wrap(buffer, kept, (int) Math.min(buffer.length - kept, left)), position);
            if (n < 0) {
                throw new Malformed("bets.csv ended " + left + " bytes before its committed size");
            }
            position += n;
            left -= n;
            int end = kept + n;
            int i = rows(buffer, 0, end);
            kept = end - i;
            System.arraycopy(buffer, i, buffer, 0, kept);
        }
        carry = Arrays.copyOf(buffer, Math.max(kept, 1));
        carried = kept;
    }

    /** The next bytes of the file. */
    public void feed(ByteBuffer chunk) throws Malformed {
        if (chunk.hasArray()) {
            feed(chunk.array(), chunk.arrayOffset() + chunk.position(), chunk.remaining());
        } else {
            byte[] copy = new byte[chunk.remaining()];
            chunk.duplicate().get(copy);
            feed(copy, 0, copy.length);
        }
        chunk.position(chunk.limit());
    }

    /**
     * The next {@code length} bytes of the file, from {@code b[offset]}. Rows are read whole, one
     * field after the other, with plain scanning loops that any JIT makes fast; a row cut by the
     * end of the bytes waits for the next ones.
     */
    public void feed(byte[] b, int offset, int length) throws Malformed {
        byte[] data = b;
        int i = offset;
        int end = offset + length;
        if (carried > 0) {
            if (carry.length < carried + length) {
                carry = Arrays.copyOf(carry, Math.max(2 * carry.length, carried + length));
            }
            System.arraycopy(b, offset, carry, carried, length);
            data = carry;
            i = 0;
            end = carried + length;
        }
        i = rows(data, i, end);
        carried = end - i;
        if (carried > MAX_ROW) {
            throw longRow();
        }
        if (carried > 0) {
            if (carry.length < carried) {
                carry = new byte[Math.max(2 * carry.length, carried)];
            }
            System.arraycopy(data, i, carry, 0, carried);
        }
    }

    /** Reads the rows from {@code i}: where the first one not whole before {@code end} starts. */
    private int rows(byte[] b, int i, int end) throws Malformed {
        for (int next; (next = row(b, i, end)) >= 0; ) {
            i = next;
        }
        return i;
    }

    private Malformed longRow() {
        return new Malformed("row " + (bets + 1) + " is longer than " + MAX_ROW + " bytes");
    }

    /** Reads the row at {@code i}: where the next one starts, or -1 when the row is not whole before {@code end}. */
    private int row(byte[] b, int i, int end) throws Malformed {
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
                throw new Malformed("row " + (bets + 1) + " has more than " + FIELDS + " fields");
            }
            if (c != '\r') {
                number = digit(number, c, "number");
            }
        }
        bets++;
        if (number == WINNING_NUMBER) {
            if (documentEnd - document > MAX_DOCUMENT) {
                throw new Malformed("row " + bets + ": a document longer than " + MAX_DOCUMENT + " bytes");
            }
            winners.add(agency, b, document, documentEnd - document);
            perAgency.merge(agency, new Count(1, 1 + documentEnd - document), Count::plus);
        }
        return i;
    }

    /** Passes over a text field and its comma: where the next field starts, or -1 when it is not whole before {@code end}. */
    private int skip(byte[] b, int i, int end, int field) throws Malformed {
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
            throw new Malformed(String.format("row %d: unexpected byte 0x%02X after a quoted field", bets + 1, b[i]));
        }
        return i + 1;
    }

    private int digit(int value, byte c, String field) throws Malformed {
        if (c < '0' || c > '9') {
            throw new Malformed("row " + (bets + 1) + ": a non-digit in the " + field);
        }
        int v = value * 10 + (c - '0');
        if (v > 0xFFFF) {
            throw new Malformed("row " + (bets + 1) + ": the " + field + " is too large");
        }
        return v;
    }

    private Malformed fields(int found) {
        return new Malformed("row " + (bets + 1) + " has " + found + " fields, not " + FIELDS);
    }

    /** What was fed so far, which must end on a whole row. */
    public Result result() throws Malformed {
        if (carried > 0) {
            throw new Malformed("the rows end in the middle of row " + (bets + 1));
        }
        return new Result(List.of(winners), perAgency, bets);
    }
}
