package ar.loteria.central.store;

import ar.loteria.central.CentralLog;
import ar.loteria.wire.AgencyMessage.BetBatch;
import ar.loteria.wire.ErrorCode;
import ar.loteria.wire.WireError;
import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Durable bets, by group commit. Requests queue up; a worker that takes the writer lock
 * commits everything queued so far: one write and one force of {@code bets.csv}, then one
 * commit record, forced. Only then does any request of the group get its outcome, so a batch
 * is acknowledged only after the force that covers it. While one group is being forced, the
 * next one gathers, so the more agencies send at once, the fewer forces per batch.
 *
 * <p>Outcomes are handed to the callback on the worker thread that committed: callers hop to
 * their own thread from there.
 */
public final class Store implements Closeable {

    /** What became of a request. */
    public sealed interface Outcome {
        /** The batch's bets are now durably stored. */
        record Stored(int count) implements Outcome {
        }

        /** The batch had been stored before: acknowledge again, store nothing. */
        record AlreadyStored(int count) implements Outcome {
        }

        /** The agency is done, after {@code batches} batches; {@code now} is false if it had said so before. */
        record AgencyDone(long batches, boolean now) implements Outcome {
        }

        record Rejected(WireError error) implements Outcome {
        }
    }

    private sealed interface Request {
        Consumer<Outcome> then();
    }

    private record SaveBatch(int agency, BetBatch batch, Consumer<Outcome> then) implements Request {
    }

    private record MarkDone(int agency, long lastSequence, Consumer<Outcome> then) implements Request {
    }

    /** Requests per group: bounds one commit record and one write. */
    private static final int MAX_GROUP = 4096;
    private static final long CLOSE_WAIT_MILLIS = 100;
    public static final String BETS_FILE = "bets.csv";
    public static final String COMMITS_FILE = "bets.commits";

    private final BetStorage storage;
    private final CommitLog commits;
    private final Ledger ledger;
    private final CentralLog log;
    private final Executor workers;
    private final ConcurrentLinkedQueue<Request> pending = new ConcurrentLinkedQueue<>();
    /** One writer at a time, as storeBets requires; it guards the ledger, the files and {@code broken}. */
    private final ReentrantLock writer = new ReentrantLock();
    /** What bets.csv durably holds; readers take their snapshot here, never the writer lock. */
    private volatile long committedBytes;
    private Exception broken;

    private Store(BetStorage storage, CommitLog commits, Ledger ledger, long committedBytes, CentralLog log, Executor workers) {
        this.storage = storage;
        this.commits = commits;
        this.ledger = ledger;
        this.committedBytes = committedBytes;
        this.log = log;
        this.workers = workers;
    }

    /**
     * Opens the store in {@code directory}, recovering what an earlier run committed: rows
     * written after the last commit are dropped, as they were never acknowledged.
     *
     * @param workers runs the group commits
     */
    public static Store open(Path directory, CentralLog log, Executor workers) throws IOException {
        Files.createDirectories(directory);
        Path csv = directory.resolve(BETS_FILE);
        Path commitsPath = directory.resolve(COMMITS_FILE);
        boolean creating = !Files.exists(csv) || !Files.exists(commitsPath);
        if (!Files.exists(commitsPath) && Files.exists(csv) && Files.size(csv) > 0) {
            throw new IOException(csv + " exists without its commit log " + COMMITS_FILE
                    + ", so what it holds cannot be trusted; move it away to start afresh");
        }
        Ledger ledger = new Ledger();
        CommitLog.Recovery recovery = CommitLog.open(commitsPath, ledger::replay);
        BetStorage storage;
        try {
            storage = new BetStorage(csv);
        } catch (IOException e) {
            recovery.log().close();
            throw e;
        }
        try {
            long size = storage.size();
            long committed = recovery.csvBytes();
            if (size < committed) {
                throw new IOException(csv + " holds " + size + " bytes but " + committed + " were committed: the store is damaged");
            }
            if (size > committed) {
                storage.truncate(committed);
            }
            if (creating) {
                forceDirectory(directory); // so that a power cut cannot lose the new files' names
            }
            log.storeRecovered(ledger.bets(), ledger.batches(), ledger.doneAgencies().size(),
                    size - committed + recovery.discardedBytes(), csv.toString());
            return new Store(storage, recovery.log(), ledger, committed, log, workers);
        } catch (IOException e) {
            storage.close();
            recovery.log().close();
            throw e;
        }
    }

    /** Stores the batch for {@code agency}, all or nothing; {@code then} gets the outcome once it is durable. */
    public void saveBatch(int agency, BetBatch batch, Consumer<Outcome> then) {
        submit(new SaveBatch(agency, batch, then));
    }

    /** Records that {@code agency} sent everything, its last batch being {@code lastSequence}. */
    public void markDone(int agency, long lastSequence, Consumer<Outcome> then) {
        submit(new MarkDone(agency, lastSequence, then));
    }

    /** The agencies that said they are done, as committed. */
    public Set<Integer> doneAgencies() {
        writer.lock();
        try {
            return ledger.doneAgencies();
        } finally {
            unlock();
        }
    }

    /** Streams every bet committed so far; see {@link BetStorage#loadBets}. Takes no lock. */
    public Stream<BetStorage.Bet> loadBets() throws IOException {
        return storage.loadBets(committedBytes);
    }

    private void submit(Request request) {
        pending.add(request);
        try {
            workers.execute(this::commitPending);
        } catch (RejectedExecutionException e) {
            if (pending.remove(request)) {
                request.then().accept(new Outcome.Rejected(new WireError(ErrorCode.SHUTTING_DOWN, "the central is stopping")));
            }
        }
    }

    /** Commits what is queued unless another worker is at it; that one will see what was queued meanwhile. */
    private void commitPending() {
        while (!pending.isEmpty() && writer.tryLock()) {
            try {
                List<Request> group = new ArrayList<>();
                for (Request r; group.size() < MAX_GROUP && (r = pending.poll()) != null; ) {
                    group.add(r);
                }
                if (!group.isEmpty()) {
                    complete(group, commit(group));
                }
            } finally {
                writer.unlock();
            }
        }
    }

    /**
     * Lets go of the writer lock taken outside {@link #commitPending}: requests queued meanwhile
     * found the lock taken and left their commit to the holder, which is now this thread.
     */
    private void unlock() {
        writer.unlock();
        if (!pending.isEmpty()) {
            try {
                workers.execute(this::commitPending);
            } catch (RejectedExecutionException e) {
                commitPending(); // the pool is shutting down: commit here rather than strand them
            }
        }
    }

    /** The group's outcomes, each durable before it says so. */
    private Outcome[] commit(List<Request> group) {
        try {
            return judgeAndPersist(group);
        } catch (RuntimeException e) {
            // A bug, not the disk; whatever part reached the files, the next start's recovery sorts out.
            broken = e;
            log.storeFailed(e.toString());
            return failAll(group.size());
        }
    }

    private Outcome[] judgeAndPersist(List<Request> group) {
        Ledger.Draft draft = ledger.draft();
        Outcome[] outcomes = new Outcome[group.size()];
        List<BetStorage.Bet> rows = new ArrayList<>();
        List<CommitLog.Entry> entries = new ArrayList<>();
        for (int i = 0; i < group.size(); i++) {
            Request r = group.get(i);
            if (r instanceof SaveBatch) {
                SaveBatch s = (SaveBatch) r;
                int count = s.batch().bets().size();
                switch (draft.admitBatch(s.agency(), s.batch().sequence(), count)) {
                    case NEW:
                        s.batch().bets().forEach(b -> rows.add(new BetStorage.Bet(s.agency(), b.firstName(), b.lastName(),
                                b.document(), b.birthdate(), b.number())));
                        entries.add(new CommitLog.Entry(CommitLog.Kind.BATCH, s.agency(), s.batch().sequence(), count));
                        outcomes[i] = new Outcome.Stored(count);
                        break;
                    case DUPLICATE:
                        outcomes[i] = new Outcome.AlreadyStored(count);
                        break;
                    default:
                        outcomes[i] = new Outcome.Rejected(draft.rejection());
                }
            } else {
                MarkDone d = (MarkDone) r;
                switch (draft.markDone(d.agency(), d.lastSequence())) {
                    case DONE_NOW:
                        entries.add(new CommitLog.Entry(CommitLog.Kind.AGENCY_DONE, d.agency(), d.lastSequence(), 0));
                        outcomes[i] = new Outcome.AgencyDone(d.lastSequence(), true);
                        break;
                    case DONE_ALREADY:
                        outcomes[i] = new Outcome.AgencyDone(d.lastSequence(), false);
                        break;
                    default:
                        outcomes[i] = new Outcome.Rejected(draft.rejection());
                }
            }
        }
        if (broken != null || !entries.isEmpty() && !persist(rows, entries, draft)) {
            // Every verdict of the group was made against a draft that never became durable:
            // not even a resend judged "already stored" against it may be acknowledged.
            outcomes = failAll(group.size());
        }
        logBatches(group, outcomes);
        return outcomes;
    }

    private Outcome[] failAll(int count) {
        Outcome[] outcomes = new Outcome[count];
        Arrays.fill(outcomes, new Outcome.Rejected(new WireError(ErrorCode.STORE_FAILURE,
                "the central could not write to disk: " + broken)));
        return outcomes;
    }

    /** Hands each request its outcome; a callback that throws does not rob the others of theirs. */
    private void complete(List<Request> group, Outcome[] outcomes) {
        for (int i = 0; i < outcomes.length; i++) {
            try {
                group.get(i).then().accept(outcomes[i]);
            } catch (RuntimeException e) {
                log.storeFailed("a completion failed: " + e);
            }
        }
    }

    /**
     * Writes and forces the rows, then the commit that covers them. After a failure nothing more
     * is written until a restart. Nothing is cut back here either: whether the commit record
     * reached the disk is unknown, and the next start's recovery knows it (an intact record
     * stands, a torn one and the rows after the last intact one go).
     */
    private boolean persist(List<BetStorage.Bet> rows, List<CommitLog.Entry> entries, Ledger.Draft draft) {
        try {
            if (!rows.isEmpty()) {
                storage.storeBets(rows);
            }
            long size = storage.size();
            commits.append(new CommitLog.Commit(size, entries));
            committedBytes = size;
            draft.apply();
            return true;
        } catch (IOException e) {
            broken = e;
            log.storeFailed(e.toString());
            return false;
        }
    }

    private void logBatches(List<Request> group, Outcome[] outcomes) {
        boolean eachBet = log.logsEachBet();
        for (int i = 0; i < outcomes.length; i++) {
            if (!(group.get(i) instanceof SaveBatch)) {
                continue;
            }
            SaveBatch s = (SaveBatch) group.get(i);
            Outcome outcome = outcomes[i];
            int count = s.batch().bets().size();
            if (outcome instanceof Outcome.Stored) {
                log.batchStored(s.agency(), s.batch().sequence(), count);
                if (eachBet || count == 1) {
                    s.batch().bets().forEach(b -> log.betStored(b.document(), b.number(), count == 1));
                }
            } else if (outcome instanceof Outcome.AlreadyStored) {
                log.batchResent(s.agency(), s.batch().sequence(), count);
            } else {
                log.batchRejected(s.agency(), s.batch().sequence(), count, ((Outcome.Rejected) outcome).error());
            }
        }
    }

    /**
     * Closes the files, waiting a moment for a commit in progress. A commit cut short by the close
     * was never acknowledged; the next start's recovery drops it.
     */
    @Override
    public void close() throws IOException {
        boolean locked = false;
        try {
            locked = writer.tryLock(CLOSE_WAIT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            try {
                commits.close();
            } finally {
                storage.close();
            }
        } finally {
            if (locked) {
                writer.unlock();
            }
        }
    }

    private static void forceDirectory(Path directory) throws IOException {
        try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
            dir.force(true);
        }
    }
}
