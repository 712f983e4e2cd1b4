package ar.loteria.central.store;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The source of truth for what {@code bets.csv} durably holds. After the rows of a group are
 * forced to {@code bets.csv}, one {@link Commit} is appended here and forced: how many bytes of
 * {@code bets.csv} are committed, the CRC-32C of the rows this commit adds, and how far each
 * agency it touched got. {@link Recovery} reads it back at start, the draw to check every row.
 *
 * <pre>
 * file:   "loteria commits 3\n" (18 bytes) | record ...
 * record: u32 body length | u32 CRC-32C of the body | u32 CRC-32C of the 8 bytes before | body
 * body:   u64 committed bytes of bets.csv | u32 CRC-32C of the bets.csv bytes since the previous commit
 *         | u16 entry count | entries
 * entry:  u8 kind (1 batch, 2 agency done) | u16 agency | u64 offset (bets stored for it after this; for done, its total)
 * </pre>
 *
 * The header's own checksum tells a record cut short by a crash (its header whole and right, or
 * itself cut) from a damaged one. Version 2 (no checksum of the rows, no header check) is refused;
 * {@link Repair} converts it ({@link LegacyReader}).
 */
final class CommitLog implements Closeable {
    enum Kind {
        BATCH,
        AGENCY_DONE
    }

    record Entry(Kind kind, int agency, long offset) {
    }

    /** {@code rowsCrc}: the CRC-32C of the bytes of bets.csv from the previous commit's end to {@code csvBytes}. */
    record Commit(long csvBytes, int rowsCrc, List<Entry> entries) {
    }

    static final byte[] MAGIC = "loteria commits 3\n".getBytes(StandardCharsets.US_ASCII);
    static final byte[] MAGIC_V2 = "loteria commits 2\n".getBytes(StandardCharsets.US_ASCII);
    static final int MAX_ENTRIES = 0xFFFF;
    static final int HEADER = 12;
    static final int BODY_PREFIX = 8 + 4 + 2;
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

    /** Forces what was written to disk. */
    void force() throws IOException {
        file.force(false);
    }

    /** Where the next record goes. */
    long end() throws IOException {
        return file.position();
    }

    /** Drops what was written from {@code at} on, and forces the cut. */
    void cutBack(long at) throws IOException {
        file.truncate(at);
        file.force(false);
    }

    /** Appends the commit, not forced: {@link #force} makes it durable (the journal's, beside the rows; a repair's, once for the whole log). */
    void write(Commit commit) throws IOException {
        List<Entry> entries = commit.entries();
        if (entries.size() > MAX_ENTRIES) {
            throw new IllegalArgumentException("a commit holds at most " + MAX_ENTRIES + " entries");
        }
        int length = BODY_PREFIX + entries.size() * ENTRY;
        if (out.capacity() < HEADER + length) {
            out = ByteBuffer.allocate(HEADER + length);
        }
        out.clear();
        out.putInt(length).putInt(0).putInt(0).putLong(commit.csvBytes()).putInt(commit.rowsCrc()).putShort((short) entries.size());
        for (Entry e : entries) {
            out.put((byte) (e.kind() == Kind.BATCH ? 1 : 2)).putShort((short) e.agency()).putLong(e.offset());
        }
        out.putInt(4, Crc32c.of(out.array(), HEADER, length));
        out.putInt(8, Crc32c.of(out.array(), 0, 8));
        writeFully(out.flip());
    }

    private void writeFully(ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            file.write(b);
        }
    }

    /** Whether a body of {@code length} bytes can be a record's. */
    static boolean plausibleBody(int length) {
        return length >= BODY_PREFIX && length <= MAX_BODY && (length - BODY_PREFIX) % ENTRY == 0;
    }

    /** The body of a record whose checksums hold, or null when it does not parse. */
    static Commit decode(ByteBuffer body) {
        long csvBytes = body.getLong();
        int rowsCrc = body.getInt();
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
        return new Commit(csvBytes, rowsCrc, entries);
    }

    /** The bytes of the log: where the next record goes. */
    long size() throws IOException {
        return file.position();
    }

    @Override
    public void close() throws IOException {
        file.close();
    }
}
