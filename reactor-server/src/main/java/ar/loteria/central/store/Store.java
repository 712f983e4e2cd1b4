package ar.loteria.central.store;

import ar.loteria.central.CentralLog;
import ar.loteria.wire.AgencyMessage.BetBatch;
import ar.loteria.wire.ErrorCode;
import ar.loteria.wire.WireError;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
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
    public static final String BETS_FILE = "bets.csv";
    public static final String COMMITS_FILE = "bets.commits";

    private final BetStorage storage;
    private final CommitLog commits;
    private final Ledger ledger;
    private final CentralLog log;
    private final Executor workers;
    private final ConcurrentLinkedQueue<Request> pending = new ConcurrentLinkedQueue<>();
    /** One writer at a time, as storeBets requires; it guards everything below. */
    private final ReentrantLock writer = new ReentrantLock();
    private long committedBytes;
    private IOException broken;

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
            writer.unlock();
        }
    }

    /** Streams every committed bet; see {@link BetStorage#loadBets}. */
    public Stream<BetStorage.Bet> loadBets() throws IOException {
        writer.lock(); // so that the snapshot is taken between two groups, never inside one
        try {
            return storage.loadBets();
        } finally {
            writer.unlock();
        }
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
                    commit(group);
                }
            } finally {
                writer.unlock();
            }
        }
    }

    private void commit(List<Request> group) {
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
        if (!entries.isEmpty() && !persist(rows, entries, draft)) {
            WireError failure = new WireError(ErrorCode.STORE_FAILURE, "the central could not write to disk: " + broken.getMessage());
            for (int i = 0; i < outcomes.length; i++) {
                if (outcomes[i] instanceof Outcome.Stored || (outcomes[i] instanceof Outcome.AgencyDone && ((Outcome.AgencyDone) outcomes[i]).now())) {
                    outcomes[i] = new Outcome.Rejected(failure);
                }
            }
        }
        logBatches(group, outcomes);
        for (int i = 0; i < outcomes.length; i++) {
            group.get(i).then().accept(outcomes[i]);
        }
    }

    /**
     * Writes and forces the rows, then the commit that covers them. After a failure nothing more
     * is written until a restart, whose recovery drops whatever part of the group did reach disk.
     */
    private boolean persist(List<BetStorage.Bet> rows, List<CommitLog.Entry> entries, Ledger.Draft draft) {
        if (broken != null) {
            return false;
        }
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
            try {
                storage.truncate(committedBytes);
            } catch (IOException ignored) {
                // recovery at the next start cuts it anyway
            }
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
                if (eachBet) {
                    s.batch().bets().forEach(b -> log.betStored(b.document(), b.number()));
                }
            } else if (outcome instanceof Outcome.AlreadyStored) {
                log.batchResent(s.agency(), s.batch().sequence(), count);
            } else {
                log.batchRejected(s.agency(), s.batch().sequence(), count, ((Outcome.Rejected) outcome).error());
            }
        }
    }

    /** Closes the files. Call once no worker can commit any more. */
    @Override
    public void close() throws IOException {
        writer.lock();
        try {
            try {
                commits.close();
            } finally {
                storage.close();
            }
        } finally {
            writer.unlock();
        }
    }
}
