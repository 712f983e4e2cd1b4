package ar.loteria.central.store;

import ar.loteria.wire.WireError;

/** What the {@link Journal} made of a request, told once it is settled. */
public sealed interface Outcome {
    /** The batch is settled: the agency has {@code stored} bets on disk, {@code fresh} of them from this batch. */
    record Accepted(long firstOffset, int count, long stored, int fresh) implements Outcome {
    }

    /** The batch is refused, none of it stored: a bet breaks a rule, or the offsets do. */
    record Rejected(long firstOffset, int count, WireError error) implements Outcome {
    }

    /** The agency's "all sent" is stored; {@code now} is false if it was before. */
    record Done(long total, boolean now) implements Outcome {
    }

    /** The "all sent" does not match what is stored. */
    record Refused(WireError error) implements Outcome {
    }

    /** The store failed or is closing: nothing of the request is acknowledged. */
    record Unavailable(WireError error) implements Outcome {
    }
}
