package ar.loteria.central.status;

import ar.loteria.central.CentralEvents;
import ar.loteria.central.draw.Draw;
import ar.loteria.wire.WireError;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * The figures an operator reads while a round runs, kept up to date by the events of the
 * central's parts. Each figure has one writer (the reactor, the journal or the draw), which
 * publishes it in a volatile or a {@link LongAdder}; {@link #snapshot} reads them from any thread,
 * without a lock, so the status view never holds up the reactor. The events it does not count are
 * the log's alone.
 */
public final class CentralStatus implements CentralEvents {
    /** The reactor sweeps at least once a second: silent this long, it is not healthy. */
    public static final long SILENT_MILLIS = 5_000;

    private final int agenciesExpected;
    private final long inFlightBudget;
    private final int maxConnections;
    private final LongAdder betsStored = new LongAdder();
    private final LongAdder batchesStored = new LongAdder();
    private final LongAdder connectionsOpen = new LongAdder();
    private final Map<Refusal, LongAdder> refusals = new EnumMap<>(Refusal.class);
    private volatile int agenciesConnected;
    private volatile int agenciesDone;
    private volatile Draw.Phase draw = Draw.Phase.TAKING_BETS;
    private volatile int batchesInFlight;
    private volatile long inFlightBytes;
    private volatile long queuedReplyBytes;
    /** When the reactor last swept; 0 before its first sweep. */
    private volatile long lastSweepNanos;
    /** The journal's thread only: a commit group's counts, published once its lines are out (see {@link #groupLogged}). */
    private long groupBets;
    private long groupBatches;
    private long groupRejected;

    public CentralStatus(int agenciesExpected, long inFlightBudget, int maxConnections) {
        this.agenciesExpected = agenciesExpected;
        this.inFlightBudget = inFlightBudget;
        this.maxConnections = maxConnections;
        for (Refusal r : Refusal.values()) {
            refusals.put(r, new LongAdder());
        }
    }

    /** The figures now; any thread. */
    public Snapshot snapshot() {
        long swept = lastSweepNanos;
        long since = swept == 0 ? -1 : TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - swept);
        Map<Refusal, Long> counts = new EnumMap<>(Refusal.class);
        refusals.forEach((r, n) -> counts.put(r, n.sum()));
        return new Snapshot(agenciesExpected, agenciesConnected, agenciesDone, betsStored.sum(), batchesStored.sum(), draw,
                batchesInFlight, inFlightBytes, inFlightBudget, connectionsOpen.sum(), maxConnections, queuedReplyBytes,
                counts, since, since >= 0 && since < SILENT_MILLIS);
    }

    private void refused(Refusal why) {
        refusals.get(why).increment();
    }

    // The reactor.

    @Override
    public void accepted(String ip) {
        connectionsOpen.increment();
    }

    @Override
    public void closed(String ip, String reason) {
        connectionsOpen.decrement();
    }

    @Override
    public void refused(String ip, String limit) {
        refused(Refusal.CONNECTION_LIMIT);
    }

    @Override
    public void displaced(String ip, String newcomerIp, String limit) {
        refused(Refusal.DISPLACED);
    }

    @Override
    public void outputShed(long heldBytes, long budgetBytes) {
        refused(Refusal.OUTPUT_SHED);
    }

    @Override
    public void acceptPaused(String error, long millis) {
        refused(Refusal.ACCEPT_FAILED);
    }

    @Override
    public void swept(long queuedReplyBytes) {
        this.queuedReplyBytes = queuedReplyBytes;
        lastSweepNanos = System.nanoTime() | 1; // never 0, which means "not yet"
    }

    // The sessions.

    @Override
    public void echoLineTooLong(String ip, int limit) {
        refused(Refusal.PROTOCOL_ERROR);
    }

    @Override
    public void protocolError(String ip, int agency, WireError error) {
        refused(Refusal.PROTOCOL_ERROR);
    }

    @Override
    public void authFailed(String ip, int claimed) {
        refused(Refusal.AUTH_FAILED);
    }

    @Override
    public void unknownAgency(String ip, int claimed, int agencies) {
        refused(Refusal.AUTH_FAILED);
    }

    @Override
    public void agenciesConnected(int count) {
        agenciesConnected = count;
    }

    @Override
    public void inFlight(int batches, long bytes) {
        batchesInFlight = batches;
        inFlightBytes = bytes;
    }

    // The store.

    @Override
    public void storeRecovered(long bets, long commits, int agenciesDone, long cutCommitBytes, long cutCsvBytes, String path) {
        betsStored.add(bets);
    }

    /** A group's lines may still be in stdout's buffer: its figures wait for them, so the view never shows a batch the log has not. */
    @Override
    public void batchStored(int agency, long first, int count, int fresh) {
        groupBets += fresh;
        groupBatches++;
    }

    @Override
    public void batchRejected(int agency, long first, int count, WireError error) {
        groupRejected++;
    }

    /** Raised after the log's own {@code groupLogged} (FanOut tells the log first): the group's lines are out. */
    @Override
    public void groupLogged() {
        betsStored.add(groupBets);
        batchesStored.add(groupBatches);
        refusals.get(Refusal.BATCH_REJECTED).add(groupRejected);
        groupBets = 0;
        groupBatches = 0;
        groupRejected = 0;
    }

    // The draw.

    @Override
    public void agencyDone(int agency, long bets, int done, int expected) {
        agenciesDone = done;
    }

    @Override
    public void drawPhase(Draw.Phase phase, int done) {
        draw = phase;
        agenciesDone = done;
    }
}
