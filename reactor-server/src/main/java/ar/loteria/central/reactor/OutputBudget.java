package ar.loteria.central.reactor;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * The heap that replies not yet written hold over all connections, as each {@link Outbound}
 * counts it. Below the high water mark anyone may add replies. Above it only an authenticated
 * peer holding less than its share may: a thousand peers that send and never read pin no more
 * than the budget, and agencies are still answered. A connection refused more is shed: it is read
 * no more, waits in line, and is resumed once the total is back below the low water mark, or once
 * its own writes let it in again; one that does not drain within the write timeout is closed.
 * Reactor thread only.
 */
final class OutputBudget {
    /** What an authenticated peer may hold whatever the others do: an agency's replies never reach it. */
    static final int AGENCY_SHARE = 16 * 1024;
    /**
     * What a stranger may hold whatever the others do: its CHALLENGE or its FAILURE. Past the
     * budget, a stranger shed unread could not even say HELLO, and every agency that has to
     * connect again would be kept out until the peers that hold the budget are closed.
     */
    static final int STRANGER_SHARE = 1024;

    private final long high;
    private final long low;
    private final ReactorEvents events;
    private final LinkedHashSet<Connection> shed = new LinkedHashSet<>();
    private long held;
    /** Since the total passed the high water mark, until it is back below the low one: told once each way. */
    private boolean shedding;

    OutputBudget(long high, ReactorEvents events) {
        this.high = high;
        this.low = high / 2;
        this.events = events;
    }

    /** For an {@link Outbound} on its own: no limit. */
    static OutputBudget unlimited() {
        return new OutputBudget(Long.MAX_VALUE, null);
    }

    void charge(long bytes) {
        held += bytes;
    }

    long held() {
        return held;
    }

    /** Whether a peer that holds {@code own} bytes may add replies now. */
    boolean admits(long own, Standing standing) {
        return held < high || standing == Standing.AUTHENTICATED && own < AGENCY_SHARE || standing == Standing.STRANGER && own < STRANGER_SHARE;
    }

    /** Whether the total is past the high water mark. */
    boolean over() {
        return held >= high;
    }

    /** {@code connection} was refused: it waits in line. */
    void shed(Connection connection) {
        shed.add(connection);
        if (!shedding) {
            shedding = true;
            events.outputShed(held, high);
        }
    }

    /** It left the line: resumed by its own writes, or closed. */
    void forget(Connection connection) {
        shed.remove(connection);
    }

    /** The connections to resume, out of the line, once the total is back below the low water mark; else none. */
    List<Connection> drained() {
        if (held > low || !shedding && shed.isEmpty()) {
            return List.of();
        }
        if (shedding) {
            shedding = false;
            events.outputDrained(held, shed.size());
        }
        List<Connection> resumed = new ArrayList<>(shed);
        shed.clear();
        return resumed;
    }
}
