package ar.loteria.central.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the records of a version-2 commit log, for {@link Repair} to convert: each has a
 * checksum of its body but none of the rows it commits, nor of its header. Its commits come with
 * a rows checksum of 0: the repair checks their rows by parsing them, and computes it.
 *
 * <pre>
 * record: u32 body length | u32 CRC-32C of the body | body
 * body:   u64 committed bytes of bets.csv | u16 entry count | entries (as in version 3)
 * </pre>
 */
final class LegacyReader {
    private static final int HEADER = 8;
    private static final int BODY_PREFIX = 8 + 2;

    private final FileChannel file;
    private final long size;
    private long position;

    LegacyReader(FileChannel file, long position, long size) {
        this.file = file;
        this.position = position;
        this.size = size;
    }

    CommitReader.Read next() throws IOException {
        long at = position;
        if (at == size) {
            return new CommitReader.Read.End();
        }
        if (size - at < HEADER) {
            return new CommitReader.Read.Torn(at, "the file ends " + (size - at) + " bytes into the header of the record at byte " + at);
        }
        ByteBuffer header = read(at, HEADER);
        int length = header.getInt(0);
        int crc = header.getInt(4);
        if (length < BODY_PREFIX || length > BODY_PREFIX + CommitLog.MAX_ENTRIES * CommitLog.ENTRY || (length - BODY_PREFIX) % CommitLog.ENTRY != 0) {
            return new CommitReader.Read.Bad(at, "the record at byte " + at + " claims a body of " + length + " bytes, which no record has");
        }
        if (size - at - HEADER < length) {
            return new CommitReader.Read.Torn(at, "the file ends inside the " + length + "-byte body of the record at byte " + at);
        }
        ByteBuffer body = read(at + HEADER, length);
        if (Crc32c.of(body.array(), 0, length) != crc) {
            return new CommitReader.Read.Bad(at, "the body of the record at byte " + at + " does not match its checksum");
        }
        long csvBytes = body.getLong();
        int count = body.getShort() & 0xFFFF;
        List<CommitLog.Entry> entries = new ArrayList<>(count);
        for (int i = 0; i < count && body.remaining() == (count - i) * CommitLog.ENTRY; i++) {
            int kind = body.get();
            int agency = body.getShort() & 0xFFFF;
            long offset = body.getLong();
            if (kind == 1 || kind == 2) {
                entries.add(new CommitLog.Entry(kind == 1 ? CommitLog.Kind.BATCH : CommitLog.Kind.AGENCY_DONE, agency, offset));
            }
        }
        if (csvBytes < 0 || entries.size() != count || negativeOffset(entries)) {
            return new CommitReader.Read.Bad(at, "the record at byte " + at + " does not parse");
        }
        position = at + HEADER + length;
        return new CommitReader.Read.Intact(new CommitLog.Commit(csvBytes, 0, entries), at, position);
    }

    private static boolean negativeOffset(List<CommitLog.Entry> entries) {
        for (CommitLog.Entry e : entries) {
            if (e.offset() < 0) {
                return true;
            }
        }
        return false;
    }

    private ByteBuffer read(long at, int n) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(n);
        while (b.hasRemaining()) {
            if (file.read(b, at + b.position()) < 0) {
                throw new IOException("bets.commits ended at byte " + (at + b.position()) + " while it was read");
            }
        }
        return b.flip();
    }
}
