package ar.loteria.central.store;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * The source of truth for what {@code bets.csv} durably holds. After the rows of a group are
 * forced to {@code bets.csv}, one {@link Commit} is appended here and forced: how many bytes of
 * {@code bets.csv} are committed, and how far each agency it touched got. {@link Recovery}
 * reads it back at start.
 *
 * <pre>
 * file:   "loteria commits 2\n" (18 bytes) | record ...
 * record: u32 body length | u32 CRC-32C of the body | body
 * body:   u64 committed bytes of bets.csv | u16 entry count | entries
 * entry:  u8 kind (1 batch, 2 agency done) | u16 agency | u64 offset (bets stored for it after this; for done, its total)
 * </pre>
 */
final class CommitLog implements Closeable {
    enum Kind {
        BATCH,
        AGENCY_DONE
    }

    record Entry(Kind kind, int agency, long offset) {
    }

    record Commit(long csvBytes, List<Entry> entries) {
    }

    static final byte[] MAGIC = "loteria commits 2\n".getBytes(StandardCharsets.US_ASCII);
    static final int MAX_ENTRIES = 0xFFFF;
    static final int HEADER = 8;
    static final int BODY_PREFIX = 8 + 2;
    static final int ENTRY = 1 + 2 + 8;
    static final int MAX_BODY = BODY_PREFIX + MAX_ENTRIES * ENTRY;

    private final FileChannel file;
    private ByteBuffer out = ByteBuffer.allocate(HEADER + BODY_PREFIX + 256 * ENTRY);

    CommitLog(FileChannel file) {
        this.file = file;
    }

    /** Writes the file's header, for a new log. */
    void start() throws IOException {
        writeFully(ByteBuffer.wrap(MAGIC));
        file.force(true);
    }

    /** Appends the commit and forces it to disk. */
    void append(Commit commit) throws IOException {
        List<Entry> entries = commit.entries();
        if (entries.size() > MAX_ENTRIES) {
            throw new IllegalArgumentException("a commit holds at most " + MAX_ENTRIES + " entries");
        }
        int length = BODY_PREFIX + entries.size() * ENTRY;
        if (out.capacity() < HEADER + length) {
            out = ByteBuffer.allocate(HEADER + length);
        }
        out.clear();
        out.putInt(length).putInt(0).putLong(commit.csvBytes()).putShort((short) entries.size());
        for (Entry e : entries) {
            out.put((byte) (e.kind() == Kind.BATCH ? 1 : 2)).putShort((short) e.agency()).putLong(e.offset());
        }
        out.putInt(4, crc(out.array(), HEADER, length));
        writeFully(out.flip());
        file.force(false);
    }

    private void writeFully(ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            file.write(b);
        }
    }

    static int crc(byte[] b, int off, int len) {
        CRC32C crc = new CRC32C();
        crc.update(b, off, len);
        return (int) crc.getValue();
    }

    /** The body of a record, or null when it does not parse. */
    static Commit decode(ByteBuffer body) {
        long csvBytes = body.getLong();
        int count = body.getShort() & 0xFFFF;
        if (csvBytes < 0 || body.remaining() != count * ENTRY) {
            return null;
        }
        List<Entry> entries = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int kind = body.get();
            int agency = body.getShort() & 0xFFFF;
            long offset = body.getLong();
            if (kind != 1 && kind != 2 || offset < 0) {
                return null;
            }
            entries.add(new Entry(kind == 1 ? Kind.BATCH : Kind.AGENCY_DONE, agency, offset));
        }
        return new Commit(csvBytes, entries);
    }

    static boolean hasMagic(byte[] head) {
        return Arrays.equals(head, MAGIC);
    }

    @Override
    public void close() throws IOException {
        file.close();
    }
}
