package ar.loteria.central.draw;

import ar.loteria.central.store.Groups;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The tally of committed rows on disk: bets.csv read in pieces cut where groups start, on the
 * workers and the calling thread at once, every group checked as it is read ({@link CheckedRead}).
 * The pieces' winners come back in the order of the file.
 */
public final class DiskTally {
    /** Below it, one pass on the calling thread costs less than handing out pieces. */
    private static final long ONE_PASS_BELOW = 4L << 20;

    private DiskTally() {
    }

    /** The committed rows that {@code groups} cover, in one pass on the calling thread; the winners spill next to {@code csv}. */
    public static Tallied of(Path csv, Groups groups) throws IOException {
        return piece(csv, groups, Groups.Mark.FIRST, groups.csvBytes());
    }

    /**
     * The committed rows that {@code groups} cover, in {@code parts} pieces, on as many threads as
     * {@code helpers} lends and the calling one: the calling thread takes any piece no helper
     * took, so a busy or single-threaded pool only makes it slower.
     */
    public static Tallied of(Path csv, Groups groups, Executor helpers, int parts) throws IOException {
        if (parts <= 1 || groups.csvBytes() < ONE_PASS_BELOW) {
            return of(csv, groups);
        }
        List<Groups.Mark> starts = starts(groups, parts);
        int pieces = starts.size();
        Tallied[] tallied = new Tallied[pieces];
        Throwable[] failures = new Throwable[pieces];
        AtomicInteger next = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(pieces);
        Runnable worker = () -> {
            for (int p; (p = next.getAndIncrement()) < pieces; ) {
                try {
                    tallied[p] = piece(csv, groups, starts.get(p), p + 1 < pieces ? starts.get(p + 1).start() : groups.csvBytes());
                } catch (Throwable e) { // kept for the calling thread, which must not merge a piece that failed
                    failures[p] = e;
                } finally {
                    done.countDown();
                }
            }
        };
        for (int h = 1; h < pieces; h++) {
            try {
                helpers.execute(worker);
            } catch (RejectedExecutionException e) {
                break; // the pool is stopping: this thread does it all
            }
        }
        worker.run();
        try {
            done.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("the tally was interrupted");
        }
        return inOrder(tallied, failures);
    }

    /** Where each piece starts: the first group at or past each {@code parts}-th of the bytes. */
    private static List<Groups.Mark> starts(Groups groups, int parts) throws IOException {
        long bytes = groups.csvBytes();
        List<Groups.Mark> starts = new ArrayList<>(List.of(Groups.Mark.FIRST));
        try (Groups.Cursor cursor = groups.cursor()) {
            for (Groups.Group g; starts.size() < parts && (g = cursor.next()) != null; ) {
                if (g.start() >= bytes * starts.size() / parts) {
                    starts.add(g.mark());
                }
            }
        }
        return starts;
    }

    /** One piece, read and checked; its spill goes if it fails. */
    private static Tallied piece(Path csv, Groups groups, Groups.Mark from, long to) throws IOException {
        Tally tally = new Tally(spillDirectory(csv), from.start());
        try {
            CheckedRead.read(csv, groups, from, to, tally);
            return tally.result(); // each piece ends on a whole row
        } catch (IOException | RuntimeException | Error e) {
            tally.discard();
            throw e;
        }
    }

    /** The pieces one after the other, or the first failure, every piece's spill gone. */
    private static Tallied inOrder(Tallied[] tallied, Throwable[] failures) throws IOException {
        for (Throwable failure : failures) {
            if (failure != null) {
                try {
                    closeAll(tallied); // the pieces' winners are not the answer
                } catch (IOException e) {
                    failure.addSuppressed(e); // the failure is the news, not the close after it
                }
                if (failure instanceof IOException e) {
                    throw e;
                } else if (failure instanceof RuntimeException e) {
                    throw e;
                }
                throw (Error) failure;
            }
        }
        Tallied all = tallied[0];
        for (int p = 1; p < tallied.length; p++) {
            all = all.then(tallied[p]);
        }
        return all;
    }

    private static void closeAll(Tallied[] tallied) throws IOException {
        for (Tallied t : tallied) {
            if (t != null) {
                t.close();
            }
        }
    }

    private static Path spillDirectory(Path csv) {
        Path parent = csv.toAbsolutePath().getParent();
        return parent == null ? Path.of(".") : parent;
    }
}
