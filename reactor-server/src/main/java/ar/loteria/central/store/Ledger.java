package ar.loteria.central.store;

import ar.loteria.wire.ErrorCode;
import ar.loteria.wire.WireError;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * How far each agency got: its last stored batch and whether it said it is done. Only the
 * store's writer touches it. A group commit works on a {@link Draft} and applies it only once
 * the group is durable, so a failed write leaves the ledger as it was.
 */
final class Ledger {
    private static final class Progress {
        long lastSequence;
        boolean done;

        Progress copy() {
            Progress p = new Progress();
            p.lastSequence = lastSequence;
            p.done = done;
            return p;
        }
    }

    /** What the ledger says about a batch or an agency's "all sent". */
    enum Verdict {
        NEW,
        DUPLICATE,
        REJECTED,
        DONE_NOW,
        DONE_ALREADY
    }

    private final Map<Integer, Progress> agencies = new HashMap<>();
    private long bets;
    private long batches;

    void replay(CommitLog.Commit commit) {
        for (CommitLog.Entry e : commit.entries()) {
            Progress p = agencies.computeIfAbsent(e.agency(), a -> new Progress());
            if (e.kind() == CommitLog.Kind.BATCH) {
                p.lastSequence = Math.max(p.lastSequence, e.sequence());
                bets += e.count();
                batches++;
            } else {
                p.done = true;
            }
        }
    }

    long bets() {
        return bets;
    }

    long batches() {
        return batches;
    }

    Set<Integer> doneAgencies() {
        Set<Integer> done = new TreeSet<>();
        agencies.forEach((agency, p) -> {
            if (p.done) {
                done.add(agency);
            }
        });
        return done;
    }

    Draft draft() {
        return new Draft();
    }

    /** Tentative changes for one group; {@link #apply} makes them real. */
    final class Draft {
        private final Map<Integer, Progress> touched = new HashMap<>();
        private long newBets;
        private long newBatches;
        private WireError rejection;

        private Progress view(int agency) {
            return touched.computeIfAbsent(agency, a -> {
                Progress p = agencies.get(a);
                return p == null ? new Progress() : p.copy();
            });
        }

        /** Why the last verdict was {@link Verdict#REJECTED}. */
        WireError rejection() {
            return rejection;
        }

        Verdict admitBatch(int agency, long sequence, int count) {
            Progress p = view(agency);
            if (sequence <= p.lastSequence) {
                return Verdict.DUPLICATE;
            }
            if (p.done) {
                return reject(ErrorCode.BETS_CLOSED, "agency " + agency + " already sent all its bets");
            }
            if (sequence != p.lastSequence + 1) {
                return reject(ErrorCode.SEQUENCE_GAP, "expected batch " + (p.lastSequence + 1) + ", got " + sequence);
            }
            p.lastSequence = sequence;
            newBets += count;
            newBatches++;
            return Verdict.NEW;
        }

        Verdict markDone(int agency, long lastSequence) {
            Progress p = view(agency);
            if (lastSequence != p.lastSequence) {
                return reject(ErrorCode.SEQUENCE_MISMATCH, "the last batch stored for agency " + agency + " is " + p.lastSequence + ", not " + lastSequence);
            }
            if (p.done) {
                return Verdict.DONE_ALREADY;
            }
            p.done = true;
            return Verdict.DONE_NOW;
        }

        void apply() {
            agencies.putAll(touched);
            bets += newBets;
            batches += newBatches;
        }

        private Verdict reject(ErrorCode code, String reason) {
            rejection = new WireError(code, reason);
            return Verdict.REJECTED;
        }
    }
}
