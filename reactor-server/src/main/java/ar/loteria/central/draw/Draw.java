package ar.loteria.central.draw;

import ar.loteria.central.CentralLog;
import ar.loteria.central.reactor.Reactor;
import ar.loteria.central.store.Damaged;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * The draw, a state machine owned by the reactor thread: it takes bets until every expected
 * agency said it is done, then tallies once on a worker, then answers. A winners query that comes
 * before the end is parked, unanswered, and answered the moment the draw is over. A tally that
 * fails to read (the disk, say) is logged and tried again, with a growing pause: the draw never
 * stays half done, and parked queries are answered when it succeeds. A tally that finds the rows
 * damaged (a checksum that does not match, a row that does not parse) is never tried again: the
 * draw stops, and its owner ends the process.
 */
public final class Draw {
    private static final long FIRST_RETRY_MILLIS = 100;
    private static final long MAX_RETRY_MILLIS = 5_000;

    private enum Phase {
        TAKING_BETS,
        DRAWING,
        /** A tally failed; the next one is scheduled. */
        RETRYING,
        DRAWN,
        /** The rows are damaged: no draw, ever, from them. */
        DAMAGED
    }

    /** What the draw reads: the committed rows of the store, tallied. */
    @FunctionalInterface
    public interface Bets {
        Tally.Result tally() throws IOException;
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
    private final Reactor reactor;
    private final CentralLog log;
    private final DamageListener damage;
    private Phase phase = Phase.TAKING_BETS;
    private long retryMillis = FIRST_RETRY_MILLIS;
    /** Set by a shutdown that cannot wait for the tally; it reruns from disk at the next start. */
    private volatile boolean cancelled;
    private Map<Integer, List<String>> winners = Map.of();

    /**
     * @param alreadyDone the agencies the store recovered as done
     * @param workers     where the tally runs
     * @param reactor     the thread this object lives on
     * @param damage      told when the rows are damaged
     */
    public Draw(int agencies, Set<Integer> alreadyDone, Bets bets, Executor workers, Reactor reactor, CentralLog log, DamageListener damage) {
        this.agencies = agencies;
        this.damage = damage;
        this.bets = bets;
        this.workers = workers;
        this.reactor = reactor;
        this.log = log;
        alreadyDone.stream().filter(this::expected).forEach(done::add);
    }

    /** Draws at once if a previous run had heard from every agency already. */
    public void start() {
        if (phase == Phase.TAKING_BETS && done.size() == agencies) {
            launch();
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
            launch();
        }
    }

    /** Answers now if the draw is over, or parks the query until it is. */
    public void query(int agency, WinnersListener listener) {
        if (phase == Phase.DRAWN) {
            listener.winners(winners.getOrDefault(agency, List.of()));
        } else {
            log.winnersParked(agency, done.size(), agencies);
            parked.add(new Parked(agency, listener));
        }
    }

    /** The listener's connection is gone: nobody to answer there. */
    public void forget(WinnersListener listener) {
        parked.removeIf(p -> p.listener() == listener);
    }

    /** Abandons a tally in progress, quietly. Safe from any thread. */
    public void cancel() {
        cancelled = true;
    }

    private void launch() {
        phase = Phase.DRAWING;
        try {
            workers.execute(this::tally);
        } catch (RejectedExecutionException e) {
            phase = Phase.TAKING_BETS; // stopping: the next start draws, from what is on disk
        }
    }

    /** On a worker. The sorteo line is out before any answer can be made from it. */
    private void tally() {
        long started = System.nanoTime();
        Tally.Result result;
        try {
            result = bets.tally();
        } catch (Damaged e) {
            if (!cancelled) {
                reactor.execute(() -> phase = Phase.DAMAGED);
                damage.damaged(e);
            }
            return;
        } catch (IOException | RuntimeException e) {
            if (!cancelled) {
                log.drawFailed(e.toString(), retryMillis);
                reactor.execute(this::retryLater);
            }
            return;
        }
        if (cancelled) {
            return;
        }
        log.drawn(result.bets(), result.winnerCount(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        reactor.execute(() -> drawn(result.winners()));
    }

    private void retryLater() {
        phase = Phase.RETRYING;
        long wait = retryMillis;
        retryMillis = Math.min(MAX_RETRY_MILLIS, retryMillis * 2);
        reactor.schedule(TimeUnit.MILLISECONDS.toNanos(wait), () -> {
            if (phase == Phase.RETRYING) {
                launch();
            }
        });
    }

    private void drawn(Map<Integer, List<String>> byAgency) {
        phase = Phase.DRAWN;
        winners = byAgency;
        List<Parked> waiting = new ArrayList<>(parked); // answering one may park or forget another
        parked.clear();
        waiting.forEach(p -> p.listener().winners(winners.getOrDefault(p.agency(), List.of())));
    }
}
