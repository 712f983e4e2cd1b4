package ar.loteria.central.lottery;

import ar.loteria.central.CentralLog;
import ar.loteria.central.store.BetStorage;
import ar.loteria.central.store.Store;
import ar.loteria.wire.ErrorCode;
import ar.loteria.wire.WireError;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.stream.Stream;

/**
 * The draw, a state machine owned by the reactor thread: it takes bets until every expected
 * agency said it is done, then draws once on a worker, then answers. A winners query that comes
 * before the end is parked, unanswered, and answered the moment the draw is over.
 */
public final class Draw {
    private enum Phase {
        TAKING_BETS,
        DRAWING,
        DRAWN,
        FAILED
    }

    private record Parked(int agency, WinnersListener listener) {
    }

    private final int agencies;
    private final Set<Integer> done = new TreeSet<>();
    private final List<Parked> parked = new ArrayList<>();
    private final Store store;
    private final Executor workers;
    private final Executor reactor;
    private final CentralLog log;
    private Phase phase = Phase.TAKING_BETS;
    /** Set by a shutdown that cannot wait for the draw; it reruns from disk at the next start. */
    private volatile boolean cancelled;
    private Map<Integer, List<String>> winners = Map.of();
    private WireError failure;

    /**
     * @param alreadyDone the agencies the store recovered as done
     * @param workers     where the draw runs
     * @param reactor     the thread this object lives on
     */
    public Draw(int agencies, Set<Integer> alreadyDone, Store store, Executor workers, Executor reactor, CentralLog log) {
        this.agencies = agencies;
        this.store = store;
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
    void agencyDone(int agency, long batches) {
        if (!done.add(agency)) {
            return;
        }
        log.agencyDone(agency, batches, done.size(), agencies);
        if (phase == Phase.TAKING_BETS && done.size() == agencies) {
            launch();
        }
    }

    /** Answers now if the draw is over, or parks the query until it is. */
    void query(int agency, WinnersListener listener) {
        switch (phase) {
            case DRAWN:
                answer(agency, listener);
                break;
            case FAILED:
                listener.failed(failure);
                break;
            default:
                log.winnersParked(agency, done.size(), agencies);
                parked.add(new Parked(agency, listener));
        }
    }

    /** The listener's connection is gone: nobody to answer there. */
    void forget(WinnersListener listener) {
        parked.removeIf(p -> p.listener() == listener);
    }

    /** Abandons a draw in progress, quietly: nobody is told anything. Safe from any thread. */
    public void cancel() {
        cancelled = true;
    }

    private void launch() {
        phase = Phase.DRAWING;
        try {
            workers.execute(this::draw);
        } catch (RejectedExecutionException e) {
            phase = Phase.TAKING_BETS; // stopping: the next start draws, from what is on disk
        }
    }

    /** On a worker: loads the bets, keeps those that won, groups their documents by agency. */
    private void draw() {
        long started = System.nanoTime();
        Map<Integer, List<String>> byAgency = new HashMap<>();
        long bets = 0;
        long won = 0;
        try (Stream<BetStorage.Bet> stored = store.loadBets()) {
            for (Iterator<BetStorage.Bet> it = stored.iterator(); it.hasNext(); ) {
                BetStorage.Bet bet = it.next();
                if (++bets % 65_536 == 0 && cancelled) {
                    return;
                }
                if (BetStorage.hasWon(bet)) {
                    byAgency.computeIfAbsent(bet.agency(), a -> new ArrayList<>()).add(bet.document());
                    won++;
                }
            }
        } catch (IOException | UncheckedIOException e) {
            if (cancelled) {
                return;
            }
            log.drawFailed(e.getMessage());
            WireError error = new WireError(ErrorCode.STORE_FAILURE, "the draw could not read the bets: " + e.getMessage());
            reactor.execute(() -> failed(error));
            return;
        }
        if (cancelled) {
            return;
        }
        log.drawn();
        log.drawSummary(bets, won, (System.nanoTime() - started) / 1_000_000);
        reactor.execute(() -> drawn(byAgency));
    }

    private void drawn(Map<Integer, List<String>> byAgency) {
        phase = Phase.DRAWN;
        winners = byAgency;
        unpark().forEach(p -> answer(p.agency(), p.listener()));
    }

    private void failed(WireError error) {
        phase = Phase.FAILED;
        failure = error;
        unpark().forEach(p -> p.listener().failed(error));
    }

    /** Every parked query, taken off the list first: answering one may park or forget another. */
    private List<Parked> unpark() {
        List<Parked> waiting = new ArrayList<>(parked);
        parked.clear();
        return waiting;
    }

    private void answer(int agency, WinnersListener listener) {
        listener.winners(winners.getOrDefault(agency, List.of()));
    }
}
