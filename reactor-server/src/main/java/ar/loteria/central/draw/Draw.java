package ar.loteria.central.draw;

import ar.loteria.central.store.Damaged;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * The draw, a state machine owned by the reactor thread (its {@link Loop}): it takes bets until
 * every expected agency said it is done, then draws once on a worker, then answers. Its
 * transitions, each from the one phase it may leave:
 *
 * <pre>
 * TAKING_BETS --{@link #allDone}--> DRAWING --{@link #drawn}--> DRAWN
 *                                  DRAWING --{@link #failed}--> FAILED
 *                                  DRAWING --{@link #damaged}--> DAMAGED
 *                                  DRAWING --{@link #stoppedBeforeDrawing}--> TAKING_BETS
 * </pre>
 *
 * <p> A winners query that comes
 * before the end is parked, unanswered, and answered the moment the draw is over. A draw that
 * fails is fail-stop, never tried again in the same process, where it could only loop on the same
 * cause with agencies kept waiting. Rows found damaged (a checksum that does not match, a row
 * that does not parse) are told to the owner, which records the damage so that no start draws
 * from them until a person repairs the store. Any other failure (a disk that fails, winners that
 * cannot be written) is one line, and the central stops, for a person or a supervisor to fix the
 * cause and start it again, which draws again from disk.
 */
public final class Draw {
    /** Where the draw stands. */
    public enum Phase {
        TAKING_BETS,
        DRAWING,
        DRAWN,
        /** The draw failed: the central is stopping. */
        FAILED,
        /** The rows are damaged: no draw from them until a repair; the central is stopping. */
        DAMAGED
    }

    /** What the draw reads: the committed rows of the store, tallied, their winners written where answers are read from. */
    @FunctionalInterface
    public interface Bets {
        DrawnWinners draw() throws IOException;
    }

    /** The thread the draw lives on; a worker hands it the tally's end. */
    @FunctionalInterface
    public interface Loop {
        void execute(Runnable task);
    }

    /** Told, on the tally's thread, that the rows are damaged; nothing is drawn from them. */
    @FunctionalInterface
    public interface DamageListener {
        void damaged(Damaged damage);
    }

    private record Parked(int agency, WinnersListener listener) {
    }

    private final int agencies;
    private final Set<Integer> done = new TreeSet<>();
    private final List<Parked> parked = new ArrayList<>();
    private final Bets bets;
    private final Executor workers;
    private final Loop loop;
    private final DrawEvents log;
    private final Runnable onFailure;
    private final DamageListener onDamage;
    private Phase phase = Phase.TAKING_BETS;
    /** Set by a shutdown that cannot wait for the draw; it reruns from disk at the next start. */
    private volatile boolean cancelled;
    private DrawnWinners winners;

    /**
     * @param alreadyDone the agencies the store recovered as done
     * @param workers     where the draw runs
     * @param loop        the thread this object lives on
     * @param onFailure   told, on a worker, once the draw failed and said why: it stops the central
     * @param onDamage    told, on a worker, when the rows are damaged: it records it and stops the central
     */
    public Draw(int agencies, Set<Integer> alreadyDone, Bets bets, Executor workers, Loop loop, DrawEvents log, Runnable onFailure,
            DamageListener onDamage) {
        this.agencies = agencies;
        this.bets = bets;
        this.workers = workers;
        this.loop = loop;
        this.log = log;
        this.onFailure = onFailure;
        this.onDamage = onDamage;
        for (int agency : alreadyDone) {
            if (expected(agency)) {
                done.add(agency);
            }
        }
        log.drawPhase(phase, done.size());
    }

    /** Draws at once if a previous run had heard from every agency already. */
    public void start() {
        if (phase == Phase.TAKING_BETS && done.size() == agencies) {
            allDone();
        }
    }

    public int agencies() {
        return agencies;
    }

    public boolean expected(int agency) {
        return agency >= 1 && agency <= agencies;
    }

    /** The agency's "all sent" is durable; the last one starts the draw. */
    public void agencyDone(int agency, long bets) {
        if (!done.add(agency)) {
            return;
        }
        log.agencyDone(agency, bets, done.size(), agencies);
        if (phase == Phase.TAKING_BETS && done.size() == agencies) {
            allDone();
        }
    }

    /** Answers now if the draw is over, or parks the query until it is. */
    public void query(int agency, WinnersListener listener) {
        if (phase == Phase.DRAWN) {
            answer(agency, listener);
        } else {
            log.winnersParked(agency, done.size(), agencies);
            parked.add(new Parked(agency, listener));
        }
    }

    /** The listener's connection is gone: nobody to answer there. */
    public void forget(WinnersListener listener) {
        parked.removeIf(p -> p.listener() == listener);
    }

    /** Abandons a draw in progress, quietly. Safe from any thread. */
    public void cancel() {
        cancelled = true;
    }

    /** At shutdown, once no connection is left to answer: lets the winners file go. */
    public void close() throws IOException {
        if (winners != null) {
            winners.close();
        }
    }

    /** Every expected agency is done: the tally goes to a worker. */
    private void allDone() {
        move(Phase.TAKING_BETS, Phase.DRAWING);
        try {
            workers.execute(this::tally);
        } catch (RejectedExecutionException e) {
            stoppedBeforeDrawing();
        }
    }

    /** The workers are stopping: the next start draws, from what is on disk. */
    private void stoppedBeforeDrawing() {
        move(Phase.DRAWING, Phase.TAKING_BETS);
    }

    /**
     * On a worker. The winners are on disk, forced, and the sorteo line is out, before any answer
     * can be made from them. Any other throwable is a bug, and the worker's fail-stop takes it.
     */
    private void tally() {
        long started = System.nanoTime();
        DrawnWinners result;
        try {
            result = bets.draw();
        } catch (Damaged e) {
            reportDamage(e);
            return;
        } catch (IOException e) {
            reportFailure(e);
            return;
        } catch (UncheckedIOException e) {
            reportFailure(e.getCause());
            return;
        }
        if (cancelled) {
            closeQuietly(result);
            return;
        }
        log.drawn(result.bets(), result.winners(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        loop.execute(() -> drawn(result));
    }

    /** On the tally's thread. The rows are damaged: the owner records it and stops the central; no start draws from them until a repair. */
    private void reportDamage(Damaged damage) {
        if (!cancelled) {
            loop.execute(this::damaged);
            onDamage.damaged(damage);
        }
    }

    /** On the tally's thread. The draw could not be made: one line, and the central stops; the next start draws again. */
    private void reportFailure(IOException error) {
        if (!cancelled) {
            log.drawFailed(error.toString());
            loop.execute(this::failed);
            onFailure.run();
        }
    }

    private static void closeQuietly(DrawnWinners abandoned) {
        try {
            abandoned.close();
        } catch (IOException e) {
            // a file only read: nothing of it is lost
        }
    }

    /** The tally found the rows damaged: nobody is ever answered from them. */
    private void damaged() {
        move(Phase.DRAWING, Phase.DAMAGED);
    }

    /** The tally failed: nobody is answered, and the central stops. */
    private void failed() {
        move(Phase.DRAWING, Phase.FAILED);
    }

    /** The winners are on disk: every parked query is answered, and every later one at once. */
    private void drawn(DrawnWinners result) {
        move(Phase.DRAWING, Phase.DRAWN);
        winners = result;
        List<Parked> waiting = new ArrayList<>(parked); // answering one may park or forget another
        parked.clear();
        waiting.forEach(p -> answer(p.agency(), p.listener()));
    }

    /** Leaves {@code from}, which must be where the draw stands: anything else is a bug. */
    private void move(Phase from, Phase to) {
        if (phase != from) {
            throw new IllegalStateException("the draw cannot go from " + phase + " to " + to + ", only from " + from);
        }
        phase = to;
        log.drawPhase(to, done.size());
    }

    private void answer(int agency, WinnersListener listener) {
        listener.winners(winners.count(agency), winners.documents(agency));
    }
}
