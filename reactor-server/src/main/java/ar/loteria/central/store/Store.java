package ar.loteria.central.store;

import ar.loteria.central.store.Journal.BatchEntry;
import ar.loteria.central.store.Journal.DoneEntry;
import ar.loteria.wire.BatchReader;
import ar.loteria.wire.BetRules;
import ar.loteria.wire.ErrorCode;
import ar.loteria.wire.WireError;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;

/**
 * Durable bets: {@code bets.csv}, in the course's format, and its commit log. The workers check
 * each batch and turn it into rows; the {@link Journal} writes groups of them, forces, commits,
 * and only then answers. Answers come on the journal's thread (once it stopped or failed, at once on
 * the caller's, unavailable): callers hop to their own.
 */
public final class Store implements Closeable {
    public static final String BETS_FILE = "bets.csv";
    public static final String COMMITS_FILE = "bets.commits";
    private static final long CLOSE_WAIT_MILLIS = 2_000;

    /** How the store opens its files; tests put a channel that fails on demand in between. */
    @FunctionalInterface
    public interface FileOpener {
        FileChannel open(Path path, OpenOption... options) throws IOException;
    }

    /** What the store tells its owner besides the answers. */
    public interface Listener {
        /** The store cannot write its disk any more: stop, and let the next start recover. */
        void storeFailed(IOException error);
    }

    private final Path directory;
    private final FileOpener files;
    private final FileChannel csv;
    private final CommitLog commits;
    private final StoreState.Marks marks;
    private final Journal journal;
    private final Thread journalThread;
    private final Executor workers;
    private final Clock clock;
    private final StoreEvents log;
    private final BetWatch watch;
    private final int watched;
    private final Map<Integer, Progress> progress = new ConcurrentHashMap<>();
    /** The batches' payloads and rows, reused: at most 1 MiB of them kept idle. */
    private final ArrayPool arrays = new ArrayPool(1 << 20);
    /** What bets.csv and bets.commits durably hold; readers take their snapshot here. */
    private volatile Committed committed;
    /** What bets.csv and bets.commits held at open: what this run found on disk, and did not write. */
    private final Committed recovered;
    /** The journal could not write: the files may hold a torn tail, left for the next start's recovery. */
    private volatile boolean failed;
    /** Guards bets.state: a close and a damage found by the draw never write it at once. */
    private final Object stateLock = new Object();
    private boolean damaged;

    private record Committed(long csvBytes, long logBytes) {
    }

    private Store(Path directory, FileOpener files, FileChannel csv, CommitLog commits, StoreState.Marks marks, Recovery.Found found, Executor workers,
            Clock clock, StoreEvents log, Listener listener, BetWatch watch) {
        this.directory = directory;
        this.files = files;
        this.watch = watch;
        this.watched = watch.number();
        this.marks = marks;
        this.csv = csv;
        this.commits = commits;
        this.workers = workers;
        this.clock = clock;
        this.log = log;
        this.committed = new Committed(found.csvBytes(), found.logBytes());
        this.recovered = committed;
        progress.putAll(found.ledger().all());
        this.journal = new Journal(csv, commits, found.ledger(), new Journal.Listener() {
            @Override
            public void committed(List<Journal.Entry> group, Outcome[] outcomes, boolean durable) {
                published(group, outcomes, durable);
                giveBack(group);
            }

            @Override
            public void failed(IOException error) {
                failed = true;
                log.storeFailed(error.toString());
                listener.storeFailed(error);
            }
        });
        this.journalThread = new Thread(journal, "journal");
        journalThread.setDaemon(true); // close() waits for it; nothing else may keep the process alive (see Central's workers)
    }

    /**
     * Opens the store in {@code directory}, recovering what an earlier run committed (see
     * {@link Recovery}), and starts its journal.
     *
     * @param workers check and encode batches
     */
    public static Store open(Path directory, StoreEvents log, Executor workers, Listener listener) throws IOException {
        return open(directory, log, workers, listener, BetWatch.NONE);
    }

    /** The same, telling {@code watch} the bets on its number as they become durable. */
    public static Store open(Path directory, StoreEvents log, Executor workers, Listener listener, BetWatch watch) throws IOException {
        return open(directory, log, workers, listener, watch, FileChannel::open, Clock.systemUTC());
    }

    public static Store open(Path directory, StoreEvents log, Executor workers, Listener listener, BetWatch watch, FileOpener files, Clock clock)
            throws IOException {
        Files.createDirectories(directory);
        Path csvPath = directory.resolve(BETS_FILE);
        Path commitsPath = directory.resolve(COMMITS_FILE);
        StoreState state = StoreState.read(directory);
        if (state != null && state.kind() == StoreState.Kind.DAMAGED) {
            throw new Damaged(state.damage());
        }
        boolean fresh = (state == null || state.kind() == StoreState.Kind.OPEN && state.reachedNothing()) && neverWritten(csvPath, commitsPath);
        if (fresh) {
            StoreState.open(0, 0).write(directory); // from here on, until a clean close, a start knows this run may have crashed
        } else {
            requireFiles(state, csvPath, commitsPath);
        }
        // Read back through ReadBack: a read the disk fails during recovery is damage, as in the draw.
        Store.FileOpener readBack = ReadBack.over(files);
        FileChannel csv = readBack.open(csvPath, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        FileChannel commitFile = null;
        try {
            commitFile = readBack.open(commitsPath, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            Recovery.Found found;
            if (fresh) {
                Recovery.start(commitFile);
                csv.truncate(0);
                StoreState.forceDirectory(directory); // so that a power cut cannot lose the new files' names
                found = new Recovery.Found(new Ledger(), 0, CommitLog.MAGIC.length, 0, 0, 0);
            } else {
                found = recover(directory, commitFile, csv, state);
                StoreState.open(found.logBytes(), found.csvBytes()).write(directory);
            }
            log.storeRecovered(found.ledger().bets(), found.commits(), found.ledger().doneAgencies().size(),
                    found.cutCommitBytes(), found.cutCsvBytes(), csvPath.toString());
            Store store = new Store(directory, files, csv, new CommitLog(commitFile), new StoreState.Marks(directory), found, workers, clock, log, listener,
                    watch);
            store.journalThread.setUncaughtExceptionHandler((t, e) -> listener.storeFailed(new IOException("the journal died: " + e, e)));
            store.journalThread.start();
            return store;
        } catch (IOException | RuntimeException e) {
            csv.close();
            if (commitFile != null) {
                commitFile.close();
            }
            throw e;
        }
    }

    /**
     * Recovery; when the disk fails a read of committed rows, that is recorded, as the draw records
     * it, so that every later start refuses at once instead of reading a failing disk again.
     */
    private static Recovery.Found recover(Path directory, FileChannel commits, FileChannel csv, StoreState state) throws IOException {
        try {
            return Recovery.run(commits, csv, state);
        } catch (Unreadable e) {
            try {
                StoreState.damaged(e.getMessage()).write(directory);
            } catch (IOException | RuntimeException notRecorded) {
                e.addSuppressed(notRecorded); // the next start reads again, and finds the same
            }
            throw e;
        }
    }

    /** Whether the files hold nothing a central ever committed: no log, or one cut inside its header, and no rows. */
    private static boolean neverWritten(Path csvPath, Path commitsPath) throws IOException {
        if (Files.exists(csvPath) && Files.size(csvPath) > 0) {
            return false;
        }
        if (!Files.exists(commitsPath)) {
            return true;
        }
        try (FileChannel commits = FileChannel.open(commitsPath, StandardOpenOption.READ)) {
            return Recovery.headerOnly(commits);
        }
    }

    /** A store that was written holds both files, and says how it was left. */
    private static void requireFiles(StoreState state, Path csvPath, Path commitsPath) throws Damaged {
        for (Path file : List.of(commitsPath, csvPath)) {
            if (!Files.exists(file)) {
                throw new Damaged(file.getFileName() + " is missing" + (state != null && state.kind() == StoreState.Kind.CLOSED
                        ? " (the central stopped cleanly with " + (file == csvPath ? state.csvBytes() : state.commitsBytes()) + " bytes in it)" : "")
                        + ": acknowledged bets may be lost");
            }
        }
        if (state == null) {
            throw new Damaged(StoreState.FILE + " is missing, so a crash cannot be told from damage: acknowledged bets may be lost");
        }
        if (state.kind() == StoreState.Kind.CLOSED) {
            checkSize(commitsPath, state.commitsBytes());
            checkSize(csvPath, state.csvBytes());
        }
    }

    private static void checkSize(Path file, long atClose) throws Damaged {
        long now;
        try {
            now = Files.size(file);
        } catch (IOException e) {
            throw new Damaged(file.getFileName() + " cannot be read: " + e.getMessage());
        }
        if (now != atClose) {
            throw new Damaged(file.getFileName() + " holds " + now + " bytes but held " + atClose + " when the central stopped cleanly: "
                    + (now < atClose ? "it was cut at byte " + now : "something wrote to it from byte " + atClose));
        }
    }

    /** The bytes the store holds for a batch of {@code payloadBytes} until its group is published: its payload's array and its rows'. */
    public static long batchBytes(int payloadBytes) {
        return (long) ArrayPool.capacity(payloadBytes) + ArrayPool.capacity(BatchRows.capacity(payloadBytes));
    }

    /**
     * Stores the batch of {@code agency} whose BET_BATCH payload is {@code payload} (its prefix
     * checked by {@link BatchReader#checkPrefix}): all or nothing, each bet once. {@code then}
     * gets the outcome once it is durable. The payload's remaining bytes are copied before it returns.
     */
    public void saveBatch(int agency, ByteBuffer payload, Consumer<Outcome> then) {
        int length = payload.remaining();
        byte[] copy = arrays.take(length);
        payload.get(copy, 0, length);
        BatchEntry entry = new BatchEntry(agency, copy, length, then);
        journal.append(entry);
        try {
            workers.execute(() -> encode(entry));
        } catch (RejectedExecutionException e) {
            entry.unavailable = new WireError(ErrorCode.SHUTTING_DOWN, "the central is stopping; connect again later");
            journal.ready(entry);
        }
    }

    private void encode(BatchEntry entry) {
        entry.rows = BatchRows.of(entry.agency, entry.payload, entry.length, BetRules.today(clock), watched, arrays);
        journal.ready(entry);
    }

    /** Records that {@code agency} sent everything, {@code total} bets. */
    public void markDone(int agency, long total, Consumer<Outcome> then) {
        journal.append(new DoneEntry(agency, total, then));
    }

    /** How far the agency got, as durably stored; any thread. */
    public Progress progress(int agency) {
        return progress.getOrDefault(agency, Progress.NONE);
    }

    /** How many bets are stored, of every agency that ever sent one (not only those this run expects). */
    public long storedBets() {
        long bets = 0;
        for (Progress p : progress.values()) {
            bets += p.stored();
        }
        return bets;
    }

    /** The agencies whose "all sent" is stored. */
    public Set<Integer> doneAgencies() {
        Set<Integer> done = new TreeSet<>();
        progress.forEach((agency, p) -> {
            if (p.done()) {
                done.add(agency);
            }
        });
        return done;
    }

    /** {@code bets.csv}, of which the first {@link #committedBytes} are durable. */
    public Path betsFile() {
        return directory.resolve(BETS_FILE);
    }

    public long committedBytes() {
        return committed.csvBytes();
    }

    /**
     * The groups that were on disk when the store opened, for the draw to read and check: what
     * this run committed since, its {@link BetWatch} was told as it became durable. Their files
     * open through the groups ({@link Groups#openRows}); a read of them that the disk fails is
     * {@link Unreadable}: acknowledged rows it does not give back, which the owner records like
     * damage rather than read again at every start. Any other error (a file that cannot be
     * opened, the reader's own) is not damage and passes as it is: the next start reads again.
     */
    public Groups recoveredGroups() {
        return new Groups(directory.resolve(COMMITS_FILE), recovered.logBytes(), recovered.csvBytes(), ReadBack.over(files));
    }

    /**
     * Records that the rows are damaged, as {@code damage} says: every later start refuses with it
     * until {@link Repair} runs, and this store's close no longer says it stopped cleanly. Any thread.
     */
    public void markDamaged(String damage) throws IOException {
        synchronized (stateLock) {
            damaged = true;
            StoreState.damaged(damage).write(directory);
        }
    }

    /** On the journal's thread, once a group is settled: publishes it if it is durable, logs it, then records each agency's progress, before any answer leaves. */
    private void published(List<Journal.Entry> group, Outcome[] outcomes, boolean durable) {
        if (durable) { // after a failed write the position may count rows that were never committed
            try {
                committed = new Committed(csv.position(), commits.size());
            } catch (IOException e) {
                // the position of an open channel does not fail; if it did, readers keep the last size
            }
            try {
                marks.reached(committed.logBytes(), committed.csvBytes()); // before any answer: an acknowledged commit is always marked
            } catch (IOException e) {
                // a disk that fails here fails the next group's write too, and the store stops then
            }
        }
        try {
            log.groupLogging(); // the group's lines may leave in one write, at groupLogged
            for (int i = 0; i < outcomes.length; i++) {
                if (group.get(i) instanceof BatchEntry batch) {
                    logBatch(batch, outcomes[i]);
                }
            }
        } finally {
            log.groupLogged();
        }
        // Only now what a reconnecting agency's WELCOME reports: never a batch before its line.
        long fresh = 0;
        for (int i = 0; i < outcomes.length; i++) {
            Journal.Entry entry = group.get(i);
            Outcome outcome = outcomes[i];
            if (outcome instanceof Outcome.Accepted a) {
                if (a.fresh() > 0) { // only a durable group has fresh bets
                    ((BatchEntry) entry).rows.watchedFrom(a.count() - a.fresh(), entry.agency, watch);
                    fresh += a.fresh();
                }
                progress.merge(entry.agency, new Progress(a.stored(), false), (old, now) -> new Progress(Math.max(old.stored(), now.stored()), old.done()));
            } else if (outcome instanceof Outcome.Done) {
                progress.compute(entry.agency, (k, old) -> new Progress(old == null ? 0 : old.stored(), true));
            }
        }
        if (fresh > 0) {
            watch.groupStored(fresh);
        }
    }

    /** After the group is published nothing reads its payloads or rows: their arrays go back to the pool. */
    private void giveBack(List<Journal.Entry> group) {
        for (Journal.Entry entry : group) {
            if (entry instanceof BatchEntry batch) {
                arrays.give(batch.payload);
                if (batch.rows != null) {
                    arrays.give(batch.rows.array());
                }
            }
        }
    }

    private void logBatch(BatchEntry batch, Outcome outcome) {
        if (outcome instanceof Outcome.Accepted a) {
            log.batchStored(batch.agency, a.firstOffset(), a.count(), a.fresh());
            if (a.fresh() > 0 && (a.count() == 1 || log.logsEachBet())) {
                int skip = a.count() - a.fresh();
                int[] seen = {0};
                BatchReader.read(batch.payload, 0, batch.length, BetRules.today(clock), (b, f, fl, l, ll, d, dl, bd, number) -> {
                    if (seen[0]++ >= skip) {
                        log.betStored(new String(b, d, dl, StandardCharsets.US_ASCII), number, a.count() == 1);
                    }
                });
            }
        } else if (outcome instanceof Outcome.Rejected r) {
            log.batchRejected(batch.agency, r.firstOffset(), r.count(), r.error());
        }
    }

    /**
     * Lets the journal commit what is queued, and stop; whatever it could not commit in time is
     * answered unavailable (never acknowledged: the next start's recovery drops it).
     */
    public void drain() {
        journal.stop();
        try {
            journalThread.join(CLOSE_WAIT_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        journal.abandon();
    }

    /**
     * Drains the journal, records a clean stop (the size of each file, in bets.state) unless the
     * journal failed or the rows are damaged, then closes the files; never under a journal still
     * forcing (the exit closes them then, and the next start recovers as after a crash).
     */
    @Override
    public void close() throws IOException {
        drain();
        if (journalThread.isAlive()) {
            throw new IOException("the journal is still forcing a group after " + 2 * CLOSE_WAIT_MILLIS
                    + " ms; its files are left to the exit, and the next start's recovery");
        }
        try {
            marks.close();
            synchronized (stateLock) {
                Committed now = committed;
                if (!failed && !damaged && csv.size() == now.csvBytes() && commits.size() == now.logBytes()) {
                    StoreState.closed(now.logBytes(), now.csvBytes()).write(directory);
                }
            }
        } finally {
            try {
                commits.close();
            } finally {
                csv.close();
            }
        }
    }
}
