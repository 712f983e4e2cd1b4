package ar.loteria.central.draw;

import ar.loteria.central.store.Damaged;
import ar.loteria.central.store.GroupCheck;
import ar.loteria.central.store.Groups;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
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
 * wrong fields, a row longer than any the store writes) is {@link Malformed}, with its offset.
 * Reading the store ({@link #of}), it checks every group of rows against the checksum of its
 * commit record as it goes: changed bytes are {@link Damaged}, never a different answer. Not
 * thread-safe.
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

    /** The file is not what the store writes: a row that does not parse, at byte {@link #offset} of bets.csv. */
    public static final class Malformed extends Damaged {
        private static final long serialVersionUID = 1L;
        private final long offset;

        Malformed(long offset, String what) {
            super("bets.csv does not parse at byte " + offset + ": " + what);
            this.offset = offset;
        }

        public long offset() {
            return offset;
        }
    }

    /** What a row breaks, before the tally knows where the row is. */
    private static final class Unparsable extends Exception {
        private static final long serialVersionUID = 1L;

        Unparsable(String message) {
            super(message, null, false, false);
        }
    }

    private final Spill winners;
    private final Map<Integer, Count> perAgency = new HashMap<>();
    private long bets;
    /** The start of a row the last bytes fed cut short, waiting for the rest. */
    private byte[] carry = new byte[1024];
    private int carried;
    /** Bytes fed so far, for where a bad row is. */
    private long fed;

    /** A tally whose winners spill into {@code spillDirectory}. */
    public Tally(Path spillDirectory) {
        winners = new Spill(spillDirectory);
    }

    /**
     * Reads the committed rows of {@code csv} that {@code groups} cover, in one pass, checking
     * each group; the winners spill next to it.
     */
    public static Result of(Path csv, Groups groups) throws IOException {
        Tally tally = new Tally(spillDirectory(csv));
        try {
            tally.read(csv, groups, Groups.Mark.FIRST, groups.csvBytes());
            return tally.result();
        } catch (IOException | RuntimeException | Error e) {
            closeAfter(tally.winners, e);
            throw e;
        }
    }

    /** Closes {@code spills} after {@code failure}, which stays the error: one in closing them is only added to it. */
    private static void closeAfter(Closeable spills, Throwable failure) {
        try {
            spills.close();
        } catch (IOException e) {
            failure.addSuppressed(e);
        }
    }

    private static Path spillDirectory(Path csv) {
        Path parent = csv.toAbsolutePath().getParent();
        return parent == null ? Path.of(".") : parent;
    }

    /**
     * Reads the committed rows of {@code csv} in {@code parts} pieces cut where groups start, on
     * as many threads as {@code helpers} lends and the calling one: what a tally of ten million
     * rows needs to finish in well under a second. Each piece checks each of its groups against
     * its checksum as it reads it. The calling thread takes any piece no helper took, so a busy
     * or single-threaded pool only makes it slower.
     */
    public static Result of(Path csv, Groups groups, Executor helpers, int parts) throws IOException {
        long bytes = groups.csvBytes();
        if (parts <= 1 || bytes < 4L << 20) {
            return of(csv, groups);
        }
        List<Groups.Mark> starts = new ArrayList<>(List.of(Groups.Mark.FIRST));
        try (Groups.Cursor cursor = groups.cursor()) {
            for (Groups.Group g; starts.size() < parts && (g = cursor.next()) != null; ) {
                if (g.start() >= bytes * starts.size() / parts) {
                    starts.add(g.mark());
                }
            }
        }
        int pieces = starts.size();
        Tally[] tallies = new Tally[pieces];
        Throwable[] failures = new Throwable[pieces];
        AtomicInteger next = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(pieces);
        Runnable worker = () -> {
            for (int p; (p = next.getAndIncrement()) < pieces; ) {
                tallies[p] = new Tally(spillDirectory(csv));
                try {
                    tallies[p].read(csv, groups, starts.get(p), p + 1 < pieces ? starts.get(p + 1).start() : bytes);
                    tallies[p].result(); // each piece ends on a whole row
                } catch (Throwable e) { // kept for the calling thread, which must not merge a piece that failed
                    failures[p] = e;
                } finally {
                    done.countDown();
                }
            }
        };
        for (int h = 1; h < pieces; h++) {
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
        List<Spill> spills = new ArrayList<>(pieces);
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
                closeAfter(all, failure); // the pieces' winners are not the answer
            }
            if (failure instanceof IOException e) {
                throw e;
            } else if (failure instanceof RuntimeException e) {
                throw e;
            } else if (failure instanceof Error e) {
                throw e;
            }
        }
        return all;
    }

    /**
     * Reads bets.csv from the start of the group at {@code from} up to {@code to}, a group's end,
     * a mebibyte at a time, each group checked against its checksum as its bytes come; the start
     * of a row cut by the end of a read moves to the front of the buffer, and the next read
     * follows it. A row that does not parse is reported as changed bytes when its group's
     * checksum says so (the likelier cause), as a row that does not parse otherwise.
     */
    private void read(Path csv, Groups groups, Groups.Mark from, long to) throws IOException {
        try (FileChannel file = groups.openRows(csv); Groups.Cursor cursor = groups.cursor(from)) {
            GroupCheck check = new GroupCheck(cursor, from.start());
            byte[] buffer = new byte[CHUNK];
            int kept = 0;
            long position = from.start();
            while (position < to) {
                if (kept > MAX_ROW) {
                    throw longRow(position - kept);
                }
                int n = file.read(ByteBuffer.wrap(buffer, kept, (int) Math.min(buffer.length - kept, to - position)), position);
                if (n < 0) {
                    throw new Damaged("bets.csv ends at byte " + position + ", before its committed " + to + " bytes");
                }
                check.update(buffer, kept, n);
                long base = position - kept;
                position += n;
                int end = kept + n;
                int i;
                try {
                    i = rows(buffer, 0, end, base);
                } catch (Malformed e) {
                    check.confirm(file);
                    throw e;
                }
                kept = end - i;
                System.arraycopy(buffer, i, buffer, 0, kept);
            }
            check.finish();
            carry = Arrays.copyOf(buffer, Math.max(kept, 1));
            carried = kept;
            fed = position;
        }
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
        long base = fed - offset;
        if (carried > 0) {
            if (carry.length < carried + length) {
                carry = Arrays.copyOf(carry, Math.max(2 * carry.length, carried + length));
            }
            System.arraycopy(b, offset, carry, carried, length);
            data = carry;
            i = 0;
            end = carried + length;
            base = fed - carried;
        }
        fed += length;
        i = rows(data, i, end, base);
        carried = end - i;
        if (carried > MAX_ROW) {
            throw longRow(fed - carried);
        }
        if (carried > 0) {
            if (carry.length < carried) {
                carry = new byte[Math.max(2 * carry.length, carried)];
            }
            System.arraycopy(data, i, carry, 0, carried);
        }
    }

    /** Reads the rows from {@code i}, {@code b[0]} being byte {@code base} of the file: where the first one not whole before {@code end} starts. */
    private int rows(byte[] b, int i, int end, long base) throws Malformed {
        try {
            for (int next; (next = row(b, i, end)) >= 0; ) {
                i = next;
            }
            return i;
        } catch (Unparsable e) {
            throw new Malformed(base + i, e.getMessage());
        }
    }

    private static Malformed longRow(long offset) {
        return new Malformed(offset, "the row is longer than " + MAX_ROW + " bytes");
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
        bets++;
        if (number == WINNING_NUMBER) {
            if (documentEnd - document > MAX_DOCUMENT) {
                throw new Unparsable("a document longer than " + MAX_DOCUMENT + " bytes");
            }
            winners.add(agency, b, document, documentEnd - document);
            perAgency.merge(agency, new Count(1, 1 + documentEnd - document), Count::plus);
        }
        return i;
    }

    /** Passes over a text field and its comma: where the next field starts, or -1 when it is not whole before {@code end}. */
    private int skip(byte[] b, int i, int end, int field) throws Unparsable {
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

    private int digit(int value, byte c, String field) throws Unparsable {
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

    /** What was fed so far, which must end on a whole row. */
    public Result result() throws Malformed {
        if (carried > 0) {
            throw new Malformed(fed - carried, "the rows end in the middle of this row");
        }
        return new Result(List.of(winners), perAgency, bets);
    }
}
