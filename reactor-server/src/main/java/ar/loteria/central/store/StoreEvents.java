package ar.loteria.central.store;

import ar.loteria.wire.WireError;

/**
 * What the store reports, for the log and the status view. Called on the journal's thread,
 * {@link #storeRecovered} at open. Each listener overrides the events it tells or counts; the
 * others are nothing to it.
 */
public interface StoreEvents {
    default void storeRecovered(long bets, long commits, int agenciesDone, long cutCommitBytes, long cutCsvBytes, String path) {
    }

    /**
     * The lines of one commit group come next, on this thread, up to {@link #groupLogged}: the log
     * may write them out together then, which is still before any reply of the group leaves.
     */
    default void groupLogging() {
    }

    default void groupLogged() {
    }

    /** A batch is durable: {@code fresh} of its {@code count} bets are new, the rest were stored before. */
    default void batchStored(int agency, long first, int count, int fresh) {
    }

    default void batchRejected(int agency, long first, int count, WireError error) {
    }

    /** Whether {@link #betStored} is wanted: each bet is read back from its batch only then. */
    default boolean logsEachBet() {
        return false;
    }

    default void betStored(String document, int number, boolean alone) {
    }

    default void storeFailed(String error) {
    }
}
