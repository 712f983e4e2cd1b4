package ar.loteria.central.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * What an earlier run left, read back at start: every commit rebuilds the ledger, and what follows
 * the last one is judged. Only after a crash (the state was left OPEN) may anything be cut, and
 * only what a crash leaves: a last record cut short (its header whole and right, or itself cut),
 * zeros from the end of the last record to the end of the log (or from inside the body of a last
 * record whose header is whole and right: half of a write landed), at most one group of rows of
 * {@code bets.csv} past the last commit, and zeros after them (a file system may make a file
 * longer before the bytes written there land, and a power cut leaves zeros); none was ever
 * acknowledged (the log must still reach as far as the journal marked before it acknowledged). Everything else is {@link Damaged}: a record that does not match its checksums,
 * a log that ends early after a clean stop, more rows past the last commit than one group, rows
 * missing, or trailing rows that do not match their checksums. Nothing is cut then.
 *
 * <p>Checked at every start: every record of the log, the file sizes, and the checksums of the
 * groups of rows that end in the last {@link #VERIFIED_TAIL} bytes of bets.csv (the last group at
 * least). The draw checks every group.
 */
final class Recovery {
    /** At least this much of the end of bets.csv is checked against its checksums at start. */
    static final long VERIFIED_TAIL = 64L << 20;
    /** How far apart the places are where the check of the tail may start. */
    private static final long MARK_STEP = 4L << 20;

    /** What recovery found: {@code logBytes} of bets.commits are trusted, and {@code csvBytes} of bets.csv. */
    record Found(Ledger ledger, long csvBytes, long logBytes, long commits, long cutCommitBytes, long cutCsvBytes) {
    }

    private Recovery() {
    }

    /**
     * Reads {@code commits}, checks {@code csv} against it, and after a crash cuts what was never
     * committed; throws {@link Damaged}, changing nothing, when the files are not what a central
     * left, cleanly or by crashing.
     */
    static Found run(FileChannel commits, FileChannel csv, StoreState state) throws IOException {
        boolean crashed = state.kind() == StoreState.Kind.OPEN;
        long size = commits.size();
        checkMagic(commits, size);
        Ledger ledger = new Ledger();
        CommitReader reader = new CommitReader(commits, CommitLog.MAGIC.length, size);
        ArrayDeque<Groups.Mark> marks = new ArrayDeque<>();
        marks.add(Groups.Mark.FIRST);
        long csvBytes = 0;
        long count = 0;
        long trusted;
        // The last intact record is taken once it is known to be the last: its rows may not have
        // landed (see lastLanded).
        CommitReader.Read.Intact last = null;
        while (true) {
            CommitReader.Read read = reader.next();
            if (read instanceof CommitReader.Read.Intact intact) {
                if (last != null) {
                    csvBytes = replay(last, ledger, marks, csvBytes);
                    count++;
                }
                last = intact;
                if (intact.commit().csvBytes() < csvBytes) {
                    throw new Damaged("bets.commits goes back from " + csvBytes + " to " + intact.commit().csvBytes() + " bytes of bets.csv at byte " + intact.at());
                }
            } else if (read instanceof CommitReader.Read.End) {
                trusted = size;
                break;
            } else if (read instanceof CommitReader.Read.Torn torn && crashed) {
                trusted = torn.at(); // the record being written when the process died: never acknowledged
                break;
            } else if (read instanceof CommitReader.Read.Bad bad && crashed && unlanded(commits, bad, size)) {
                trusted = bad.at(); // a power cut during the last write; the marks, checked below, say whether it was acknowledged
                break;
            } else if (read instanceof CommitReader.Read.Torn torn) {
                throw new Damaged("bets.commits is cut short after a clean stop: " + torn.why());
            } else {
                throw new Damaged("bets.commits is damaged: " + ((CommitReader.Read.Bad) read).why());
            }
        }
        if (last != null) {
            if (crashed && last.at() >= state.reachedCommits() && !lastLanded(csv, last.commit(), csvBytes)) {
                trusted = last.at(); // forced beside its rows, the record landed and they did not: never acknowledged
            } else {
                csvBytes = replay(last, ledger, marks, csvBytes);
                count++;
            }
        }
        if (trusted < state.reachedCommits() || csvBytes < state.reachedCsv()) {
            throw new Damaged("bets.commits ends at byte " + trusted + " (" + csvBytes + " bytes of bets.csv) but the central had committed up to byte "
                    + state.reachedCommits() + " (" + state.reachedCsv() + " bytes of bets.csv): acknowledged commits are missing");
        }
        long csvSize = csv.size();
        if (csvSize < csvBytes) {
            throw new Damaged("bets.csv holds " + csvSize + " bytes but bets.commits says " + csvBytes + " were committed: acknowledged bets are missing");
        }
        if (csvSize > csvBytes && !crashed) {
            throw new Damaged("bets.csv holds " + (csvSize - csvBytes) + " bytes past its last commit, at byte " + csvBytes
                    + ", after a clean stop: something else wrote them");
        }
        long rowsPast = (crashed ? dataEnd(csv, csvBytes, csvSize) : csvSize) - csvBytes; // a zero tail is no rows: a power cut grew the file
        if (rowsPast > Journal.MAX_UNCOMMITTED) {
            throw new Damaged("bets.csv holds " + rowsPast + " bytes past the last commit of bets.commits, at byte " + csvBytes
                    + ": more than a crash leaves (one group), so commits of bets.commits are missing");
        }
        verify(commits, csv, trusted, marks.peekFirst(), csvBytes);
        long cutCommits = size - trusted;
        if (cutCommits > 0) {
            commits.truncate(trusted);
            commits.force(true);
        }
        commits.position(trusted);
        if (csvSize > csvBytes) {
            csv.truncate(csvBytes);
            csv.force(true);
        }
        csv.position(csvBytes);
        return new Found(ledger, csvBytes, trusted, count, cutCommits, csvSize - csvBytes);
    }

    /** Takes an intact record into the ledger; the bytes of bets.csv committed with it. */
    private static long replay(CommitReader.Read.Intact intact, Ledger ledger, ArrayDeque<Groups.Mark> marks, long csvBytes) throws Damaged {
        CommitLog.Commit commit = intact.commit();
        for (CommitLog.Entry e : commit.entries()) {
            if (e.kind() == CommitLog.Kind.BATCH && e.offset() < ledger.progress(e.agency()).stored()) {
                throw new Damaged("bets.commits takes agency " + e.agency() + " back to " + e.offset() + " bets at byte " + intact.at());
            }
            ledger.replay(e);
        }
        if (csvBytes >= marks.peekLast().start() + MARK_STEP) {
            marks.add(new Groups.Mark(intact.at(), csvBytes));
        }
        dropMarksBefore(marks, commit.csvBytes() - VERIFIED_TAIL);
        return commit.csvBytes();
    }

    /**
     * Whether the rows of the last record, from {@code from} (where the record before it ends),
     * are in bets.csv and match its checksum. The journal forces a group's rows and its record
     * side by side, so a power cut may leave the record without its rows (or with zeros where
     * they were going): that record was never acknowledged, since an answer waits for both forces.
     */
    private static boolean lastLanded(FileChannel csv, CommitLog.Commit last, long from) throws IOException {
        long end = last.csvBytes();
        if (csv.size() < end) {
            return false;
        }
        CRC32C crc = new CRC32C();
        return read(csv, from, end, crc::update) == end && (int) crc.getValue() == last.rowsCrc();
    }

    /** What takes the bytes {@link #read} reads. */
    @FunctionalInterface
    private interface Sink {
        void take(byte[] b, int offset, int length) throws IOException;
    }

    /** Hands the bytes of {@code file} from {@code from} to {@code end} to {@code sink}, in chunks; where it stopped: {@code end}, or sooner where the file ended. */
    private static long read(FileChannel file, long from, long end, Sink sink) throws IOException {
        ByteBuffer chunk = ByteBuffer.allocate((int) Math.min(1 << 20, Math.max(1, end - from)));
        long position = from;
        while (position < end) {
            chunk.clear().limit((int) Math.min(chunk.capacity(), end - position));
            int n = file.read(chunk, position);
            if (n < 0) {
                break;
            }
            sink.take(chunk.array(), 0, n);
            position += n;
        }
        return position;
    }

    /**
     * Whether the damaged record {@code bad} is what a power cut leaves of the last write: zeros
     * from its start to the end of the log (the file grew before the record's bytes landed), or
     * its header whole and right and zeros from inside its body to the end of the log (the
     * header's block landed, the rest did not). Never a record with anything but zeros after it.
     */
    private static boolean unlanded(FileChannel commits, CommitReader.Read.Bad bad, long size) throws IOException {
        long dataEnd = dataEnd(commits, bad.at(), size);
        return dataEnd == bad.at() || dataEnd < bad.bodyEnd();
    }

    /** Keeps only the last mark at or before {@code position}, and those after it. */
    private static void dropMarksBefore(ArrayDeque<Groups.Mark> marks, long position) {
        while (marks.size() > 1) {
            java.util.Iterator<Groups.Mark> it = marks.iterator();
            it.next();
            if (it.next().start() > position) {
                return;
            }
            marks.pollFirst();
        }
    }

    /**
     * Where the bytes of {@code file} in {@code [from, size)} that are not zero end: {@code from}
     * when they all are. A file system may make a file longer before the bytes written there
     * land, so a power cut leaves zeros where a write was under way; never rows or a record.
     * Read from the end, so that it costs the zero tail and a chunk.
     */
    static long dataEnd(FileChannel file, long from, long size) throws IOException {
        ByteBuffer chunk = ByteBuffer.allocate((int) Math.min(1 << 16, Math.max(1, size - from)));
        for (long end = size; end > from; ) {
            long start = Math.max(from, end - chunk.capacity());
            chunk.clear().limit((int) (end - start));
            while (chunk.hasRemaining()) {
                if (file.read(chunk, start + chunk.position()) < 0) {
                    throw new Damaged("a file of the store ended at byte " + (start + chunk.position()) + " while it was read");
                }
            }
            for (int i = chunk.limit() - 1; i >= 0; i--) {
                if (chunk.get(i) != 0) {
                    return start + i + 1;
                }
            }
            end = start;
        }
        return from;
    }

    /** A new log: the file header. */
    static void start(FileChannel commits) throws IOException {
        commits.truncate(0);
        new CommitLog(commits).start();
        commits.position(CommitLog.MAGIC.length);
    }

    /** Whether a log of {@code size} bytes holds nothing but (the start of) its header: a store never written. */
    static boolean headerOnly(FileChannel commits) throws IOException {
        long size = commits.size();
        if (size > CommitLog.MAGIC.length) {
            return false;
        }
        ByteBuffer head = ByteBuffer.allocate((int) size);
        while (head.hasRemaining() && commits.read(head, head.position()) > 0) {
            continue;
        }
        return Arrays.equals(head.array(), Arrays.copyOf(CommitLog.MAGIC, (int) size));
    }

    private static void checkMagic(FileChannel commits, long size) throws IOException {
        byte[] head = new byte[(int) Math.min(size, CommitLog.MAGIC.length)];
        ByteBuffer b = ByteBuffer.wrap(head);
        while (b.hasRemaining() && commits.read(b, b.position()) > 0) {
            continue;
        }
        if (Arrays.equals(head, CommitLog.MAGIC_V2)) {
            throw new Damaged("bets.commits is a version-2 commit log, without checksums of bets.csv, which this central does not read; "
                    + "the repair converts it to version 3, keeping every group whose rows parse and add up to its offsets");
        }
        if (!Arrays.equals(head, CommitLog.MAGIC)) {
            throw new Damaged("bets.commits does not start with its header (\"loteria commits 3\"): it is damaged or not a commit log");
        }
    }

    /** Checks the groups of {@code csv} from {@code from} to {@code end} against their checksums. */
    private static void verify(FileChannel commits, FileChannel csv, long logBytes, Groups.Mark from, long end) throws IOException {
        try (Groups.Cursor groups = new Groups.Cursor(commits, false, logBytes, from)) {
            GroupCheck check = new GroupCheck(groups, from.start());
            long reached = read(csv, from.start(), end, check::update);
            if (reached < end) {
                throw new Damaged("bets.csv ended at byte " + reached + " while it was checked");
            }
            check.finish();
        }
    }
}
