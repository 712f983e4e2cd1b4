package ar.loteria.central.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/** A store's files made by hand, for the tests of what reads them (the draw's tally). */
public final class StoreFiles {
    private StoreFiles() {
    }

    /** bets.csv in {@code dir} holding {@code bets}, committed {@code perGroup} rows a group; the groups. */
    public static Groups committed(Path dir, List<BetStorage.Bet> bets, int perGroup) throws IOException {
        Path csv = dir.resolve(Store.BETS_FILE);
        Files.deleteIfExists(csv);
        Files.createFile(csv);
        List<Long> ends = new ArrayList<>();
        for (int from = 0; from < bets.size(); from += perGroup) {
            BetStorage.storeBets(csv, bets.subList(from, Math.min(bets.size(), from + perGroup)));
            ends.add(Files.size(csv));
        }
        return commit(dir, ends);
    }

    /** bets.csv in {@code dir} holding {@code rows}, whatever they are, in one group; the groups. */
    public static Groups committed(Path dir, byte[] rows) throws IOException {
        Files.write(dir.resolve(Store.BETS_FILE), rows);
        return commit(dir, List.of((long) rows.length));
    }

    /**
     * The state a central leaves when it dies while it runs, after it committed all there is: the
     * next start recovers as after a crash. For a store closed cleanly.
     */
    public static void crashed(Path dir) throws IOException {
        StoreState closed = StoreState.read(dir);
        StoreState.open(closed == null ? 0 : closed.reachedCommits(), closed == null ? 0 : closed.reachedCsv()).write(dir);
    }

    private static Groups commit(Path dir, List<Long> ends) throws IOException {
        Path commits = dir.resolve(Store.COMMITS_FILE);
        byte[] csv = Files.readAllBytes(dir.resolve(Store.BETS_FILE));
        try (FileChannel file = FileChannel.open(commits, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            CommitLog log = new CommitLog(file);
            log.start();
            long start = 0;
            for (long end : ends) {
                log.write(new CommitLog.Commit(end, Crc32c.of(csv, (int) start, (int) (end - start)), List.of()));
                start = end;
            }
            return new Groups(commits, file.size(), start);
        }
    }

    /** Flips the bits of {@code mask} in the byte at {@code offset} of {@code file}. */
    public static void flip(Path file, long offset, int mask) throws IOException {
        try (FileChannel f = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.allocate(1);
            f.read(b, offset);
            b.put(0, (byte) (b.get(0) ^ mask)).rewind();
            f.write(b, offset);
        }
    }
}
