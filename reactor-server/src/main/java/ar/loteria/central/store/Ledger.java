package ar.loteria.central.store;

import ar.loteria.wire.ErrorCode;
import ar.loteria.wire.WireError;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * How far each agency got: how many of its bets are stored (its offset) and whether it said it
 * is done. Only the journal touches it. A group is judged on a {@link Draft}, applied only once
 * the group is durable, so a failed write leaves the ledger as it was.
 */
final class Ledger {
    /** What the ledger makes of a batch: the verdict, and for a new one the bets to skip. */
    sealed interface Admission {
        /** Every bet of the batch is stored already. */
        record Duplicate(long stored) implements Admission {
        }

        /** The batch's bets from {@code skip} on are new; the agency then has {@code stored}. */
        record Fresh(int skip, long stored) implements Admission {
        }

        record Refused(WireError error) implements Admission {
        }
    }

    /** What the ledger makes of an ALL_SENT. */
    enum Closing {
        NOW,
        ALREADY,
        MISMATCH
    }

    private final Map<Integer, Progress> agencies = new HashMap<>();
    private long bets;

    /** A commit read back at start. */
    void replay(CommitLog.Entry e) {
        Progress p = progress(e.agency());
        if (e.kind() == CommitLog.Kind.BATCH) {
            bets += e.offset() - p.stored();
            agencies.put(e.agency(), new Progress(e.offset(), p.done()));
        } else {
            agencies.put(e.agency(), new Progress(p.stored(), true));
        }
    }

    Progress progress(int agency) {
        return agencies.getOrDefault(agency, Progress.NONE);
    }

    Map<Integer, Progress> all() {
        return Map.copyOf(agencies);
    }

    long bets() {
        return bets;
    }

    Set<Integer> doneAgencies() {
        Set<Integer> done = new TreeSet<>();
        agencies.forEach((agency, p) -> {
            if (p.done()) {
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
        /** The last refusal's reason, when a verdict was a refusal. */
        private WireError refusal;

        Progress view(int agency) {
            return touched.getOrDefault(agency, progress(agency));
        }

        /** The batch of {@code count} bets from {@code first}: stored once, whatever came before. */
        Admission admit(int agency, long first, int count) {
            Progress p = view(agency);
            long end = first + count;
            if (end <= p.stored()) {
                return new Admission.Duplicate(p.stored());
            }
            if (p.done()) {
                return new Admission.Refused(new WireError(ErrorCode.BETS_CLOSED, "agency " + agency + " already sent all its bets"));
            }
            if (first > p.stored()) {
                return new Admission.Refused(new WireError(ErrorCode.OFFSET_GAP, "the next bet of agency " + agency + " is number "
                        + p.stored() + ", not " + first));
            }
            touched.put(agency, new Progress(end, false));
            newBets += end - p.stored();
            return new Admission.Fresh((int) (p.stored() - first), end);
        }

        /** The agency says it sent {@code total} bets. */
        Closing markDone(int agency, long total) {
            Progress p = view(agency);
            if (total != p.stored()) {
                refusal = new WireError(ErrorCode.OFFSET_MISMATCH, "the central holds " + p.stored() + " bets of agency " + agency + ", not " + total);
                return Closing.MISMATCH;
            }
            if (p.done()) {
                return Closing.ALREADY;
            }
            touched.put(agency, new Progress(p.stored(), true));
            return Closing.NOW;
        }

        WireError refusal() {
            return refusal;
        }

        void apply() {
            agencies.putAll(touched);
            bets += newBets;
        }
    }
}
