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

/**
 * {@code bets.state}: how the store was last left, the fact PostgreSQL keeps in pg_control. OPEN
 * while a central writes (so a start that finds it OPEN knows the last one crashed, and may cut
 * the torn tail a crash leaves); CLOSED, with the size of each file, after a clean stop (so a
 * start that finds anything else knows it is damage, not a crash); DAMAGED, with what was found,
 * after the draw found changed rows (so every start refuses until a repair, never a loop that
 * draws again and again). Replaced whole, by a rename, never written in place.
 *
 * <pre>
 * "loteria state 1\n" (16 bytes) | u8 state (1 open, 2 closed, 3 damaged) | u64 bytes of bets.commits
 * | u64 bytes of bets.csv | u16 length | the damage found, UTF-8 | u32 CRC-32C of everything before
 * </pre>
 */
record StoreState(Kind kind, long commitsBytes, long csvBytes, String damage) {
    static final String FILE = "bets.state";
    private static final byte[] MAGIC = "loteria state 1\n".getBytes(StandardCharsets.US_ASCII);
    private static final int MAX_DAMAGE = 4096;

    enum Kind {
        OPEN,
        CLOSED,
        DAMAGED
    }

    static final StoreState OPEN = new StoreState(Kind.OPEN, 0, 0, "");

    static StoreState closed(long commitsBytes, long csvBytes) {
        return new StoreState(Kind.CLOSED, commitsBytes, csvBytes, "");
    }

    static StoreState damaged(String damage) {
        return new StoreState(Kind.DAMAGED, 0, 0, damage.length() > MAX_DAMAGE ? damage.substring(0, MAX_DAMAGE) : damage);
    }

    /** The state in {@code directory}, or null when it has none. */
    static StoreState read(Path directory) throws IOException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(directory.resolve(FILE));
        } catch (NoSuchFileException e) {
            return null;
        }
        int fixed = MAGIC.length + 1 + 8 + 8 + 2;
        if (bytes.length < fixed + 4 || !Arrays.equals(bytes, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
            throw new Damaged(FILE + " is not a store state of this version (" + bytes.length + " bytes)");
        }
        ByteBuffer b = ByteBuffer.wrap(bytes);
        int crc = b.getInt(bytes.length - 4);
        if (Crc32c.of(bytes, 0, bytes.length - 4) != crc) {
            throw new Damaged(FILE + " does not match its checksum");
        }
        b.position(MAGIC.length);
        int kind = b.get();
        long commitsBytes = b.getLong();
        long csvBytes = b.getLong();
        int length = b.getShort() & 0xFFFF;
        if (kind < 1 || kind > 3 || fixed + length + 4 != bytes.length) {
            throw new Damaged(FILE + " does not parse");
        }
        return new StoreState(Kind.values()[kind - 1], commitsBytes, csvBytes, new String(bytes, fixed, length, StandardCharsets.UTF_8));
    }

    /** Replaces the state in {@code directory} with this one, durably: a new file, forced, renamed over the old, the directory forced. */
    void write(Path directory) throws IOException {
        byte[] damageBytes = damage.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(MAGIC.length + 1 + 8 + 8 + 2 + damageBytes.length + 4);
        b.put(MAGIC).put((byte) (kind.ordinal() + 1)).putLong(commitsBytes).putLong(csvBytes).putShort((short) damageBytes.length).put(damageBytes);
        b.putInt(Crc32c.of(b.array(), 0, b.position()));
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
}
