package ar.loteria.central.store;

import ar.loteria.wire.ErrorCode;
import ar.loteria.wire.WireError;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * The one writer of the store, on a thread of its own (BookKeeper's journal is the model).
 * Requests queue in the order the reactor made them; workers check and encode batches meanwhile,
 * in any order. The journal takes every request at the head of the queue that is ready, judges
 * each against the {@link Ledger}, writes the group's new rows in one write and one commit record
 * (with the rows' CRC-32C, combined from the workers'), forces both files side by side (the log
 * on a thread of its own: two fdatasyncs overlap instead of adding up), and only then logs and
 * answers each request: an acknowledgement always follows the forces that cover it. A power cut
 * may leave the record without its rows; recovery knows that shape (a last record past what was
 * acknowledged, whose rows are not there) for the torn tail it is.
 *
 * <p>A failed write or force is fatal to the store: nothing of that group or after it is ever
 * acknowledged, and the store's owner is told so that the process stops (the next start's
 * recovery repairs the tail).
 */
final class Journal implements Runnable {
    /** Requests per group: bounds one commit record. */
    static final int MAX_GROUP = 4096;
    /** Bytes of rows per group: bounds one write. */
    static final int MAX_GROUP_BYTES = 8 << 20;
    /**
     * The most bytes of rows a crash can leave past the last commit: one group, which stops
     * growing past {@link #MAX_GROUP_BYTES} (its last batch's rows are far below the slack).
     */
    static final long MAX_UNCOMMITTED = MAX_GROUP_BYTES + (256 << 10);

    /** One request, in the order the reactor made it. */
    abstract static sealed class Entry permits BatchEntry, DoneEntry {
        final int agency;
        final Consumer<Outcome> then;
        /** Set by a worker (or at once); read by the journal under the lock. */
        boolean ready;

        Entry(int agency, Consumer<Outcome> then) {
            this.agency = agency;
            this.then = then;
        }
    }

    static final class BatchEntry extends Entry {
        /** The payload in its first {@link #length} bytes: an array from the store's pool, longer than that. */
        final byte[] payload;
        final int length;
        BatchRows rows;
        /** Why it could not be encoded (the store is stopping); null normally. */
        WireError unavailable;

        BatchEntry(int agency, byte[] payload, int length, Consumer<Outcome> then) {
            super(agency, then);
            this.payload = payload;
            this.length = length;
        }
    }

    static final class DoneEntry extends Entry {
        final long total;

        DoneEntry(int agency, long total, Consumer<Outcome> then) {
            super(agency, then);
            this.total = total;
            this.ready = true;
        }
    }

    /** What the journal tells its owner. */
    interface Listener {
        /** The group is settled ({@code durable}: its writes reached the disk); called before its requests are answered. */
        void committed(List<Entry> group, Outcome[] outcomes, boolean durable);

        /** Writing failed: the store is broken for good. */
        void failed(IOException error);
    }

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition headReady = lock.newCondition();
    private final ArrayDeque<Entry> queue = new ArrayDeque<>();
    private final FileChannel csv;
    private final CommitLog commits;
    private final Ledger ledger;
    private final Listener listener;
    private final List<ByteBuffer> rows = new ArrayList<>();
    private final List<CommitLog.Entry> records = new ArrayList<>();
    /** The CRC-32C of the group's rows, combined from each batch's. */
    private int rowsCrc;
    private boolean stopping;
    private volatile WireError broken;
    /** Forces the commit log while the journal forces the rows; its thread starts with the first group. */
    private final ExecutorService logForce = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "log-force");
        t.setDaemon(true);
        return t;
    });

    Journal(FileChannel csv, CommitLog commits, Ledger ledger, Listener listener) {
        this.csv = csv;
        this.commits = commits;
        this.ledger = ledger;
        this.listener = listener;
    }

    /** Queues a request; any thread. After a stop or a failure it is answered at once, unavailable. */
    void append(Entry entry) {
        WireError refused;
        lock.lock();
        try {
            refused = broken != null ? broken : stopping ? stoppingError() : null;
            if (refused == null) {
                queue.add(entry);
                if (entry.ready && queue.peekFirst() == entry) {
                    headReady.signal();
                }
            }
        } finally {
            lock.unlock();
        }
        if (refused != null) {
            entry.then.accept(new Outcome.Unavailable(refused));
        }
    }

    /** A worker finished {@code entry}. */
    void ready(Entry entry) {
        lock.lock();
        try {
            entry.ready = true;
            if (queue.peekFirst() == entry) {
                headReady.signal();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Commits what is queued, then returns; any thread. */
    void stop() {
        lock.lock();
        try {
            stopping = true;
            headReady.signal();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void run() {
        try {
            for (List<Entry> group; (group = take()) != null; ) {
                commit(group);
            }
        } finally {
            logForce.shutdown();
        }
    }

    /** The ready requests at the head of the queue, waiting for one; null once stopped and drained. */
    private List<Entry> take() {
        lock.lock();
        try {
            while (queue.isEmpty() || !queue.peekFirst().ready) {
                if (stopping && queue.isEmpty()) {
                    return null;
                }
                headReady.awaitUninterruptibly();
            }
            List<Entry> group = new ArrayList<>();
            long bytes = 0;
            while (!queue.isEmpty() && queue.peekFirst().ready && group.size() < MAX_GROUP && bytes < MAX_GROUP_BYTES) {
                Entry e = queue.pollFirst();
                group.add(e);
                if (e instanceof BatchEntry b && b.rows != null) {
                    bytes += b.rows.length();
                }
            }
            return group;
        } finally {
            lock.unlock();
        }
    }

    private void commit(List<Entry> group) {
        Outcome[] outcomes = new Outcome[group.size()];
        boolean durable = broken == null;
        if (durable) {
            Ledger.Draft draft = judge(group, outcomes);
            durable = records.isEmpty() || persist(draft);
        }
        if (!durable) {
            fill(outcomes, broken);
        }
        listener.committed(group, outcomes, durable);
        for (int i = 0; i < outcomes.length; i++) {
            group.get(i).then.accept(outcomes[i]);
        }
    }

    private Ledger.Draft judge(List<Entry> group, Outcome[] outcomes) {
        Ledger.Draft draft = ledger.draft();
        rows.clear();
        records.clear();
        rowsCrc = 0;
        for (int i = 0; i < group.size(); i++) {
            Entry e = group.get(i);
            if (e instanceof BatchEntry b) {
                outcomes[i] = judgeBatch(draft, b);
            } else {
                DoneEntry d = (DoneEntry) e;
                switch (draft.markDone(d.agency, d.total)) {
                    case NOW:
                        records.add(new CommitLog.Entry(CommitLog.Kind.AGENCY_DONE, d.agency, d.total));
                        outcomes[i] = new Outcome.Done(d.total, true);
                        break;
                    case ALREADY:
                        outcomes[i] = new Outcome.Done(d.total, false);
                        break;
                    default:
                        outcomes[i] = new Outcome.Refused(draft.refusal());
                }
            }
        }
        return draft;
    }

    private Outcome judgeBatch(Ledger.Draft draft, BatchEntry b) {
        if (b.unavailable != null) {
            return new Outcome.Unavailable(b.unavailable);
        }
        BatchRows r = b.rows;
        if (r.error() != null) {
            return new Outcome.Rejected(r.firstOffset(), r.count(), r.error());
        }
        Ledger.Admission admission = draft.admit(b.agency, r.firstOffset(), r.count());
        if (admission instanceof Ledger.Admission.Fresh fresh) {
            ByteBuffer newRows = r.rowsFrom(fresh.skip());
            rowsCrc = Crc32c.combine(rowsCrc, r.crcFrom(fresh.skip()), newRows.remaining());
            rows.add(newRows);
            records.add(new CommitLog.Entry(CommitLog.Kind.BATCH, b.agency, fresh.stored()));
            return new Outcome.Accepted(r.firstOffset(), r.count(), fresh.stored(), r.count() - fresh.skip());
        }
        if (admission instanceof Ledger.Admission.Duplicate duplicate) {
            return new Outcome.Accepted(r.firstOffset(), r.count(), duplicate.stored(), 0);
        }
        return new Outcome.Rejected(r.firstOffset(), r.count(), ((Ledger.Admission.Refused) admission).error());
    }

    /** Writes and forces the rows, then the commit that covers them. */
    private boolean persist(Ledger.Draft draft) {
        try {
            ByteBuffer[] out = rows.toArray(new ByteBuffer[0]);
            long remaining = 0;
            for (ByteBuffer b : out) {
                remaining += b.remaining();
            }
            while (remaining > 0) {
                remaining -= csv.write(out);
            }
            long recordAt = commits.end();
            commits.write(new CommitLog.Commit(csv.position(), rowsCrc, List.copyOf(records)));
            Future<Void> logForced = logForce.submit(() -> {
                commits.force();
                return null;
            });
            if (!rows.isEmpty()) {
                try {
                    csv.force(false);
                } catch (IOException e) {
                    withdraw(logForced, recordAt, e);
                    throw e;
                }
            }
            awaitForce(logForced);
            draft.apply();
            return true;
        } catch (IOException e) {
            lock.lock();
            try {
                broken = new WireError(ErrorCode.SHUTTING_DOWN, "the central cannot write its disk and stops: " + e.getMessage());
            } finally {
                lock.unlock();
            }
            listener.failed(e);
            return false;
        }
    }

    /**
     * The rows' force failed, and the record that covers them may be forced already: it is cut
     * back, so that no start trusts rows the disk may not hold (after a failed fsync the page
     * cache can still show them). Whatever fails here is added to {@code failure}: the store
     * stops either way, and recovery then checks the rows against the record.
     */
    private void withdraw(Future<Void> logForced, long recordAt, IOException failure) {
        try {
            awaitForce(logForced);
        } catch (IOException alsoFailed) {
            failure.addSuppressed(alsoFailed);
        }
        try {
            commits.cutBack(recordAt);
        } catch (IOException notCut) {
            failure.addSuppressed(notCut);
        }
    }

    private static void awaitForce(Future<Void> forced) throws IOException {
        try {
            forced.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException("the commit log's force failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while the commit log was forced");
        }
    }

    /** Answers every request still queued, unavailable: the store failed or closes without them. */
    void abandon() {
        List<Entry> left;
        lock.lock();
        try {
            left = new ArrayList<>(queue);
            queue.clear();
            if (broken == null) {
                broken = stoppingError();
            }
        } finally {
            lock.unlock();
        }
        left.forEach(e -> e.then.accept(new Outcome.Unavailable(broken)));
    }

    private static WireError stoppingError() {
        return new WireError(ErrorCode.SHUTTING_DOWN, "the central is stopping; connect again later");
    }

    private static void fill(Outcome[] outcomes, WireError error) {
        Arrays.fill(outcomes, new Outcome.Unavailable(error));
    }
}
