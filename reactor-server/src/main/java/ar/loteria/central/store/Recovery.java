package ar.loteria.central.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.util.Arrays;

/**
 * What an earlier run left, read back at start: every intact commit rebuilds the ledger, and
 * what follows the last one is judged. A torn tail (the record being written when the process
 * died, never acknowledged) is cut, and so are the rows of {@code bets.csv} past the last
 * commit. A bad record with intact records after it is not a torn tail but damage to what was
 * acknowledged: the store refuses to start rather than cut it away.
 */
final class Recovery {
    /** The store cannot be trusted as it is: a person must look at it. */
    static final class Damaged extends IOException {
        private static final long serialVersionUID = 1L;

        Damaged(String message) {
            super(message);
        }
    }

    /** What recovery found. */
    record Found(Ledger ledger, long csvBytes, long commits, long cutCommitBytes, long cutCsvBytes) {
    }

    private Recovery() {
    }

    /** Reads {@code commits}, checks {@code csv} against it, and cuts what was never committed. */
    static Found run(FileChannel commits, FileChannel csv) throws IOException {
        long size = commits.size();
        if (size > 0 && size < CommitLog.MAGIC.length && csv.size() == 0 && headerBegun(commits, size)) {
            commits.truncate(0); // the process died writing a new log's header: nothing was ever committed
            size = 0;
        }
        if (size > Integer.MAX_VALUE) {
            throw new Damaged("bets.commits is " + size + " bytes, more than recovery reads (2 GiB)");
        }
        if (size == 0) {
            if (csv.size() > 0) {
                throw new Damaged("bets.csv holds " + csv.size() + " bytes but bets.commits is empty, so none of them can be trusted; "
                        + "move both away to start afresh");
            }
            new CommitLog(commits).start();
            commits.position(CommitLog.MAGIC.length);
            return new Found(new Ledger(), 0, 0, 0, 0);
        }
        MappedByteBuffer log = commits.map(FileChannel.MapMode.READ_ONLY, 0, size);
        byte[] head = new byte[(int) Math.min(size, CommitLog.MAGIC.length)];
        log.get(0, head);
        if (!CommitLog.hasMagic(head)) {
            throw new Damaged("bets.commits is not a commit log of this version (it should start with \"loteria commits 2\"); "
                    + "move bets.csv and bets.commits away to start afresh");
        }
        Ledger ledger = new Ledger();
        long position = CommitLog.MAGIC.length;
        long csvBytes = 0;
        long count = 0;
        while (position < size) {
            CommitLog.Commit commit = recordAt(log, position, size);
            if (commit == null) {
                long next = nextIntactRecord(log, position + 1, size);
                if (next >= 0) {
                    throw new Damaged("bets.commits is damaged at byte " + position + " but holds intact commits after it, from byte " + next
                            + ": acknowledged bets may be lost; refusing to start");
                }
                break; // a torn tail
            }
            if (commit.csvBytes() < csvBytes) {
                throw new Damaged("bets.commits goes back from " + csvBytes + " to " + commit.csvBytes() + " bytes of bets.csv at byte " + position);
            }
            for (CommitLog.Entry e : commit.entries()) {
                if (e.kind() == CommitLog.Kind.BATCH && e.offset() < ledger.progress(e.agency()).stored()) {
                    throw new Damaged("bets.commits takes agency " + e.agency() + " back to " + e.offset() + " bets at byte " + position);
                }
                ledger.replay(e);
            }
            csvBytes = commit.csvBytes();
            count++;
            position += CommitLog.HEADER + log.getInt((int) position);
        }
        long cutCommits = size - position;
        if (cutCommits > 0) {
            commits.truncate(position);
            commits.force(true);
        }
        commits.position(position);
        long csvSize = csv.size();
        if (csvSize < csvBytes) {
            throw new Damaged("bets.csv holds " + csvSize + " bytes but " + csvBytes + " were committed: acknowledged bets are missing");
        }
        if (csvSize > csvBytes) {
            csv.truncate(csvBytes);
            csv.force(true);
        }
        csv.position(csvBytes);
        return new Found(ledger, csvBytes, count, cutCommits, csvSize - csvBytes);
    }

    /** Whether the {@code size} bytes of a short log are the start of its header. */
    private static boolean headerBegun(FileChannel commits, long size) throws IOException {
        ByteBuffer head = ByteBuffer.allocate((int) size);
        while (head.hasRemaining() && commits.read(head, head.position()) > 0) {
            continue;
        }
        return Arrays.equals(head.array(), Arrays.copyOf(CommitLog.MAGIC, (int) size));
    }

    /** The commit whose record starts at {@code position}, or null when it is not an intact record. */
    private static CommitLog.Commit recordAt(MappedByteBuffer log, long position, long size) {
        if (position + CommitLog.HEADER > size) {
            return null;
        }
        int p = (int) position;
        int length = log.getInt(p);
        if (length < CommitLog.BODY_PREFIX || length > CommitLog.MAX_BODY || (length - CommitLog.BODY_PREFIX) % CommitLog.ENTRY != 0
                || position + CommitLog.HEADER + length > size) {
            return null;
        }
        byte[] body = new byte[length];
        log.get(p + CommitLog.HEADER, body);
        if (CommitLog.crc(body, 0, length) != log.getInt(p + 4)) {
            return null;
        }
        return CommitLog.decode(ByteBuffer.wrap(body));
    }

    /** The first position from {@code from} where an intact record starts, or -1. */
    private static long nextIntactRecord(MappedByteBuffer log, long from, long size) {
        for (long q = from; q + CommitLog.HEADER + CommitLog.BODY_PREFIX <= size; q++) {
            if (recordAt(log, q, size) != null) {
                return q;
            }
        }
        return -1;
    }
}
