package ar.loteria.central.store;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.zip.CRC32C;

/**
 * The source of truth for what {@code bets.csv} durably holds. After the rows of a group are
 * forced to {@code bets.csv}, one {@link Commit} is appended here and forced: it says how many
 * bytes of {@code bets.csv} are committed and which batches they hold. On start, rows past the
 * last intact commit are cut off (they were never acknowledged), and the commits rebuild each
 * agency's progress.
 *
 * <pre>
 * record: u32 body length | u32 CRC-32C of the body | body
 * body:   u64 committed bytes of bets.csv | u16 entry count | entries
 * entry:  u8 kind (1 batch, 2 agency done) | u16 agency | u32 sequence | u16 bet count
 * </pre>
 */
final class CommitLog implements Closeable {
    enum Kind {
        BATCH,
        AGENCY_DONE
    }

    /** A stored batch ({@code sequence}, {@code count} bets), or an agency done after batch {@code sequence}. */
    record Entry(Kind kind, int agency, long sequence, int count) {
    }

    record Commit(long csvBytes, List<Entry> entries) {
    }

    /** What reading the log found. */
    record Recovery(CommitLog log, long csvBytes, long commits, long discardedBytes) {
    }

    static final int MAX_ENTRIES = 0xFFFF;
    private static final int HEADER = 8;
    private static final int BODY_PREFIX = 8 + 2;
    private static final int ENTRY = 1 + 2 + 4 + 2;

    private final FileChannel file;
    private ByteBuffer out = ByteBuffer.allocate(HEADER + BODY_PREFIX + 1024 * ENTRY);

    private CommitLog(FileChannel file) {
        this.file = file;
    }

    /** Opens the log, hands every intact commit to {@code replay} in order, and cuts off a torn tail. */
    static Recovery open(Path path, Consumer<Commit> replay) throws IOException {
        FileChannel file = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        try {
            long size = file.size();
            long position = 0;
            long csvBytes = 0;
            long commits = 0;
            ByteBuffer header = ByteBuffer.allocate(HEADER);
            while (position + HEADER <= size) {
                header.clear();
                readFully(file, header, position);
                int length = header.getInt(0);
                if (length < BODY_PREFIX || length > BODY_PREFIX + MAX_ENTRIES * ENTRY || position + HEADER + length > size) {
                    break; // torn or garbage
                }
                ByteBuffer body = ByteBuffer.allocate(length);
                readFully(file, body, position + HEADER);
                CRC32C crc = new CRC32C();
                crc.update(body.array(), 0, length);
                if ((int) crc.getValue() != header.getInt(4)) {
                    break;
                }
                Commit commit = decode(body);
                if (commit == null || commit.csvBytes() < csvBytes) {
                    break;
                }
                replay.accept(commit);
                csvBytes = commit.csvBytes();
                commits++;
                position += HEADER + length;
            }
            if (position < size) {
                file.truncate(position);
                file.force(true);
            }
            file.position(position);
            return new Recovery(new CommitLog(file), csvBytes, commits, size - position);
        } catch (IOException | RuntimeException e) {
            file.close();
            throw e;
        }
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
            out.put((byte) (e.kind() == Kind.BATCH ? 1 : 2)).putShort((short) e.agency())
                    .putInt((int) e.sequence()).putShort((short) e.count());
        }
        CRC32C crc = new CRC32C();
        crc.update(out.array(), HEADER, length);
        out.putInt(4, (int) crc.getValue());
        out.flip();
        while (out.hasRemaining()) {
            file.write(out);
        }
        file.force(false);
    }

    private static Commit decode(ByteBuffer body) {
        long csvBytes = body.getLong();
        int count = body.getShort() & 0xFFFF;
        if (body.remaining() != count * ENTRY) {
            return null;
        }
        List<Entry> entries = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int kind = body.get();
            if (kind != 1 && kind != 2) {
                return null;
            }
            entries.add(new Entry(kind == 1 ? Kind.BATCH : Kind.AGENCY_DONE, body.getShort() & 0xFFFF,
                    body.getInt() & 0xFFFF_FFFFL, body.getShort() & 0xFFFF));
        }
        return new Commit(csvBytes, entries);
    }

    private static void readFully(FileChannel file, ByteBuffer dst, long position) throws IOException {
        while (dst.hasRemaining()) {
            if (file.read(dst, position + dst.position()) < 0) {
                throw new IOException("commit log ended early");
            }
        }
        dst.flip();
    }

    @Override
    public void close() throws IOException {
        file.close();
    }
}
