package ar.loteria.central.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * {@code bets.state}: how the store was last left, the fact PostgreSQL keeps in pg_control. OPEN
 * while a central writes (so a start that finds it OPEN knows the last one crashed, and may cut
 * the torn tail a crash leaves); CLOSED, with the size of each file, after a clean stop (so a
 * start that finds anything else knows it is damage, not a crash); DAMAGED, with what was found,
 * after the draw found changed rows (so every start refuses until a repair, never a loop that
 * draws again and again). Replaced whole, by a rename, never written in place; except the
 * {@link Marks} the journal writes in place after each commit, before it acknowledges any of it:
 * how far both files got, so that a start after a crash can tell a torn tail from commits lost.
 * Not forced (a crash of the process keeps them; a power cut may leave older, smaller ones,
 * which are still true).
 *
 * <pre>
 * "loteria state 1\n" (16 bytes) | u64 bytes of bets.commits reached | u64 bytes of bets.csv reached
 * | u32 CRC-32C of those 16 bytes | u8 state (1 open, 2 closed, 3 damaged) | u64 bytes of bets.commits
 * | u64 bytes of bets.csv | u16 length | the damage found, UTF-8 | u32 CRC-32C of everything but the marks
 * </pre>
 */
record StoreState(Kind kind, long commitsBytes, long csvBytes, String damage, long reachedCommits, long reachedCsv) {
    static final String FILE = "bets.state";
    private static final byte[] MAGIC = "loteria state 1\n".getBytes(StandardCharsets.US_ASCII);
    private static final int MAX_DAMAGE = 4096;
    private static final int MARKS = 8 + 8 + 4;
    private static final int FIXED = MAGIC.length + MARKS + 1 + 8 + 8 + 2;

    enum Kind {
        OPEN,
        CLOSED,
        DAMAGED
    }

    /** Written while a central runs on files of these sizes (that it reached). */
    static StoreState open(long commitsBytes, long csvBytes) {
        return new StoreState(Kind.OPEN, 0, 0, "", commitsBytes, csvBytes);
    }

    static StoreState closed(long commitsBytes, long csvBytes) {
        return new StoreState(Kind.CLOSED, commitsBytes, csvBytes, "", commitsBytes, csvBytes);
    }

    static StoreState damaged(String damage) {
        return new StoreState(Kind.DAMAGED, 0, 0, damage.length() > MAX_DAMAGE ? damage.substring(0, MAX_DAMAGE) : damage, 0, 0);
    }

    /**
     * Whether the marks say no commit was ever reached: only then may missing or empty files be
     * a store not yet written, rather than a store whose files were lost.
     */
    boolean reachedNothing() {
        return reachedCommits <= CommitLog.MAGIC.length && reachedCsv == 0;
    }

    /** The state in {@code directory}, or null when it has none. */
    static StoreState read(Path directory) throws IOException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(directory.resolve(FILE));
        } catch (NoSuchFileException e) {
            return null;
        }
        if (bytes.length < FIXED + 4 || !Arrays.equals(bytes, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
            throw new Damaged(FILE + " is not a store state of this version (" + bytes.length + " bytes)");
        }
        ByteBuffer b = ByteBuffer.wrap(bytes);
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, MAGIC.length);
        crc.update(bytes, MAGIC.length + MARKS, bytes.length - 4 - MAGIC.length - MARKS);
        if ((int) crc.getValue() != b.getInt(bytes.length - 4)) {
            throw new Damaged(FILE + " does not match its checksum");
        }
        long reachedCommits = b.getLong(MAGIC.length);
        long reachedCsv = b.getLong(MAGIC.length + 8);
        if (Crc32c.of(bytes, MAGIC.length, 16) != b.getInt(MAGIC.length + 16)) {
            reachedCommits = 0; // marks torn by a power cut: nothing known beyond what the log says
            reachedCsv = 0;
        }
        b.position(MAGIC.length + MARKS);
        int kind = b.get();
        long commitsBytes = b.getLong();
        long csvBytes = b.getLong();
        int length = b.getShort() & 0xFFFF;
        if (kind < 1 || kind > 3 || FIXED + length + 4 != bytes.length) {
            throw new Damaged(FILE + " does not parse");
        }
        return new StoreState(Kind.values()[kind - 1], commitsBytes, csvBytes, new String(bytes, FIXED, length, StandardCharsets.UTF_8),
                reachedCommits, reachedCsv);
    }

    /** Replaces the state in {@code directory} with this one, durably: a new file, forced, renamed over the old, the directory forced. */
    void write(Path directory) throws IOException {
        byte[] damageBytes = damage.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(FIXED + damageBytes.length + 4);
        b.put(MAGIC).put(Marks.encode(reachedCommits, reachedCsv));
        b.put((byte) (kind.ordinal() + 1)).putLong(commitsBytes).putLong(csvBytes).putShort((short) damageBytes.length).put(damageBytes);
        CRC32C crc = new CRC32C();
        crc.update(b.array(), 0, MAGIC.length);
        crc.update(b.array(), MAGIC.length + MARKS, b.position() - MAGIC.length - MARKS);
        b.putInt((int) crc.getValue());
        b.flip();
        Path fresh = directory.resolve(FILE + ".new");
        try (FileChannel file = FileChannel.open(fresh, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            while (b.hasRemaining()) {
                file.write(b);
            }
            file.force(true);
        }
        Files.move(fresh, directory.resolve(FILE), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        forceDirectory(directory);
    }

    static void forceDirectory(Path directory) throws IOException {
        try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
            dir.force(true);
        }
    }

    /** How far the files got, written in place by the journal after each commit; one 20-byte write, never forced. */
    static final class Marks implements java.io.Closeable {
        private final FileChannel file;
        private final ByteBuffer out = ByteBuffer.allocate(MARKS);

        Marks(Path directory) throws IOException {
            file = FileChannel.open(directory.resolve(FILE), StandardOpenOption.WRITE);
        }

        private static byte[] encode(long commits, long csv) {
            ByteBuffer b = ByteBuffer.allocate(MARKS).putLong(commits).putLong(csv);
            return b.putInt(Crc32c.of(b.array(), 0, 16)).array();
        }

        void reached(long commits, long csv) throws IOException {
            out.clear();
            out.put(encode(commits, csv)).flip();
            while (out.hasRemaining()) {
                file.write(out, MAGIC.length + out.position());
            }
        }

        @Override
        public void close() throws IOException {
            file.close();
        }
    }
}
