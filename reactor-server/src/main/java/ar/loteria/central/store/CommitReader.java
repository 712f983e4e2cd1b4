package ar.loteria.central.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.zip.CRC32C;

/**
 * Reads the records of a commit log one after the other, from a position up to a size, through a
 * buffer of its own with positional reads: many readers (recovery, the draw's pieces, a repair)
 * may read the log beside the journal that appends to it. Each record is judged: intact, cut
 * short the way a crash cuts a write (its header whole and right, or itself cut), or damaged.
 */
final class CommitReader {
    /** What the next bytes of the log are. */
    sealed interface Read {
        /** An intact record, at byte {@code at}; the next one starts at {@code next}. */
        record Intact(CommitLog.Commit commit, long at, long next) implements Read {
        }

        /** The log ends where it should: after a whole record, or after the file's header. */
        record End() implements Read {
        }

        /** The log ends inside the record at {@code at}, as a write cut by a crash leaves it. */
        record Torn(long at, String why) implements Read {
        }

        /**
         * The record at {@code at} is not what the journal wrote. {@code bodyEnd}: where its body
         * ends, when its header is whole and right and its body is what does not match (-1 otherwise).
         */
        record Bad(long at, String why, long bodyEnd) implements Read {
            Bad(long at, String why) {
                this(at, why, -1);
            }
        }
    }

    private final FileChannel file;
    private final long size;
    private long position;
    /** The log's bytes from {@code windowStart}. */
    private ByteBuffer window = ByteBuffer.allocate(64 * 1024).limit(0);
    private long windowStart;

    /** Reads the records of {@code file} from {@code position} (just past the file's header, or a record) to {@code size}. */
    CommitReader(FileChannel file, long position, long size) {
        this.file = file;
        this.position = position;
        this.size = size;
    }

    /** Where the next record starts. */
    long position() {
        return position;
    }

    Read next() throws IOException {
        long at = position;
        if (at == size) {
            return new Read.End();
        }
        int have = load(at, CommitLog.HEADER);
        if (have < CommitLog.HEADER) {
            return new Read.Torn(at, "the file ends " + have + " bytes into the header of the record at byte " + at);
        }
        int p = (int) (at - windowStart);
        int length = window.getInt(p);
        int bodyCrc = window.getInt(p + 4);
        if (crc(p, 8) != window.getInt(p + 8)) {
            return new Read.Bad(at, "the header of the record at byte " + at + " does not match its checksum");
        }
        if (!CommitLog.plausibleBody(length)) {
            return new Read.Bad(at, "the record at byte " + at + " claims a body of " + length + " bytes, which no record has");
        }
        have = load(at, CommitLog.HEADER + length);
        p = (int) (at - windowStart);
        if (have < CommitLog.HEADER + length) {
            return new Read.Torn(at, "the file ends " + (have - CommitLog.HEADER) + " bytes into the " + length + "-byte body of the record at byte " + at);
        }
        if (crc(p + CommitLog.HEADER, length) != bodyCrc) {
            return new Read.Bad(at, "the body of the record at byte " + at + " does not match its checksum", at + CommitLog.HEADER + length);
        }
        CommitLog.Commit commit = CommitLog.decode(window.slice(p + CommitLog.HEADER, length));
        if (commit == null) {
            return new Read.Bad(at, "the record at byte " + at + " does not parse");
        }
        position = at + CommitLog.HEADER + length;
        return new Read.Intact(commit, at, position);
    }

    private int crc(int from, int length) {
        CRC32C crc = new CRC32C();
        crc.update(window.slice(from, length));
        return (int) crc.getValue();
    }

    /** Makes the window hold the {@code n} bytes from {@code at}, or as many as the log has: how many it holds. */
    private int load(long at, int n) throws IOException {
        long end = windowStart + window.limit();
        if (at >= windowStart && end - at >= n) {
            return n;
        }
        if (window.capacity() < n) {
            window = ByteBuffer.allocate(n);
        }
        window.clear().limit((int) Math.min(window.capacity(), size - at));
        windowStart = at;
        while (window.hasRemaining()) {
            if (file.read(window, at + window.position()) < 0) {
                break;
            }
        }
        window.flip();
        return Math.min(n, window.limit());
    }
}
