package ar.loteria.central.draw;

import ar.loteria.central.store.Groups;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Executor;

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

    /**
     * @param recovered the groups on disk at start
     * @param running   the winners of the groups committed since
     * @param parts     how many pieces the disk tally is cut into, one per worker
     */
    public StoredBets(Path csv, Groups recovered, RunningTally running, Executor workers, int parts) {
        this.csv = csv;
        this.recovered = recovered;
        this.running = running;
        this.workers = workers;
        this.parts = parts;
    }

    @Override
    public DrawnWinners draw() throws IOException {
        Tallied thisRun = running.take();
        Tallied all;
        try {
            all = DiskTally.of(csv, recovered, workers, parts).then(thisRun);
        } catch (IOException | RuntimeException | Error e) {
            thisRun.close();
            throw e;
        }
        return WinnersFile.write(csv.toAbsolutePath().getParent(), all);
    }
}
