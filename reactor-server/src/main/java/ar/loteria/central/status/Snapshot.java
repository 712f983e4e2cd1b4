package ar.loteria.central.status;

import ar.loteria.central.draw.Draw;
import java.util.Map;

/**
 * The central's figures, as the status view read them. Each is exact at the moment it was read;
 * they are read one after the other, not at one instant.
 *
 * @param agenciesExpected    how many agencies the draw waits for ({@code AGENCIES})
 * @param agenciesConnected   agencies with an authenticated connection open now
 * @param agenciesDone        agencies whose ALL_SENT is durable
 * @param betsStored          bets durably stored, the ones recovered at start included
 * @param batchesStored       batches accepted since start, resends included
 * @param draw                where the draw stands
 * @param batchesInFlight     batches taken from the network and not yet settled by the journal
 * @param inFlightBytes       what they hold against the in-flight budget
 * @param inFlightBudgetBytes the in-flight budget: past it, agencies wait in line to send
 * @param connectionsOpen     connections open on the lottery's port, of every kind
 * @param maxConnections      the cap on them
 * @param queuedReplyBytes    the heap held by replies not yet written, over every connection, at the last sweep
 * @param refusals            how many of each refusal since start
 * @param sinceSweepMillis    how long ago the reactor last swept its connections; -1 before its first sweep
 * @param healthy             whether the reactor swept within {@link CentralStatus#SILENT_MILLIS}
 */
public record Snapshot(
        int agenciesExpected,
        int agenciesConnected,
        int agenciesDone,
        long betsStored,
        long batchesStored,
        Draw.Phase draw,
        int batchesInFlight,
        long inFlightBytes,
        long inFlightBudgetBytes,
        long connectionsOpen,
        int maxConnections,
        long queuedReplyBytes,
        Map<Refusal, Long> refusals,
        long sinceSweepMillis,
        boolean healthy) {
}
