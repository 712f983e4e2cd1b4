package ar.loteria.central.draw;

import ar.loteria.central.store.Groups;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Executor;
import java.util.function.LongSupplier;

/**
 * What the draw reads: the committed rows of the store. Those on disk when the central started are
 * read back and every group checked against its checksum ({@link DiskTally}, on the workers);
 * those this run committed were noted as they became durable ({@link RunningTally}), and come
 * after them in bets.csv. Their winners are written to {@link WinnersFile}, where answers are read.
 */
public final class StoredBets implements Draw.Bets {
    private final Path csv;
    private final Groups recovered;
    private final RunningTally running;
    private final Executor workers;
    private final int parts;
    private final LongSupplier stored;

    /**
     * @param recovered the groups on disk at start
     * @param running   the winners of the groups committed since
     * @param parts     how many pieces the disk tally is cut into, one per worker
     * @param stored    how many bets the store holds: what the two parts must add up to
     */
    public StoredBets(Path csv, Groups recovered, RunningTally running, Executor workers, int parts, LongSupplier stored) {
        this.csv = csv;
        this.recovered = recovered;
        this.running = running;
        this.workers = workers;
        this.parts = parts;
        this.stored = stored;
    }

    @Override
    public DrawnWinners draw() throws IOException {
        Tallied thisRun = running.take();
        Tallied all;
        try {
            all = DiskTally.of(csv, recovered, workers, parts).then(thisRun);
        } catch (IOException | RuntimeException | Error e) {
            try {
                thisRun.close();
            } catch (IOException closing) {
                e.addSuppressed(closing); // the failure is the news (a damage must reach bets.state), not the close after it
            }
            throw e;
        }
        long expected = stored.getAsLong();
        if (all.bets() != expected) { // a store opened without this tally watching it: never a partial answer
            IOException mismatch = new IOException("the draw counted " + all.bets() + " bets, the store holds " + expected + ": not drawn");
            try {
                all.close();
            } catch (IOException closing) {
                mismatch.addSuppressed(closing);
            }
            throw mismatch;
        }
        return WinnersFile.write(csv.toAbsolutePath().getParent(), all);
    }
}
