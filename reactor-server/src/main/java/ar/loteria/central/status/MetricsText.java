package ar.loteria.central.status;

import ar.loteria.central.draw.Draw;
import java.util.Locale;

/** A snapshot in Prometheus' text exposition format (version 0.0.4), served at {@code /metrics}. */
final class MetricsText {
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final StringBuilder out = new StringBuilder(2048);

    private MetricsText() {
    }

    static String of(Snapshot s) {
        MetricsText m = new MetricsText();
        m.gauge("loteria_agencies_expected", "Agencies the draw waits for (AGENCIES).", s.agenciesExpected());
        m.gauge("loteria_agencies_connected", "Agencies with an authenticated connection open.", s.agenciesConnected());
        m.gauge("loteria_agencies_done", "Agencies whose ALL_SENT is durable.", s.agenciesDone());
        m.gauge("loteria_bets_stored", "Bets durably stored, those recovered at start included.", s.betsStored());
        m.counter("loteria_batches_stored_total", "Batches accepted since start, resends included.", s.batchesStored());
        m.header("loteria_draw_state", "Where the draw stands: 1 for the state it is in.", "gauge");
        for (Draw.Phase phase : Draw.Phase.values()) {
            m.sample("loteria_draw_state{state=\"" + label(phase) + "\"}", phase == s.draw() ? 1 : 0);
        }
        m.gauge("loteria_batches_in_flight", "Batches read from the network and not yet settled by the journal.", s.batchesInFlight());
        m.gauge("loteria_in_flight_bytes", "Bytes those batches hold against the in-flight budget.", s.inFlightBytes());
        m.gauge("loteria_in_flight_budget_bytes", "The in-flight budget: past it, agencies wait in line to send.", s.inFlightBudgetBytes());
        m.gauge("loteria_connections_open", "Connections open on the lottery's port.", s.connectionsOpen());
        m.gauge("loteria_connections_max", "The cap on connections open (SERVER_MAX_CONNECTIONS, within the file descriptors).", s.maxConnections());
        m.gauge("loteria_reply_bytes_queued", "Heap held by replies not yet written, over all connections, at the last sweep.", s.queuedReplyBytes());
        m.header("loteria_refusals_total", "Peers or requests turned away since start, by reason.", "counter");
        s.refusals().forEach((why, n) -> m.sample("loteria_refusals_total{reason=\"" + why.label() + "\"}", n));
        m.header("loteria_reactor_sweep_age_seconds", "Since the reactor last swept its connections (at least once a second when alive); NaN before its first sweep.", "gauge");
        m.out.append("loteria_reactor_sweep_age_seconds ")
                .append(s.sinceSweepMillis() < 0 ? "NaN" : String.format(Locale.ROOT, "%.3f", s.sinceSweepMillis() / 1000.0)).append('\n');
        m.gauge("loteria_healthy", "1 while the reactor sweeps on time, as /health says.", s.healthy() ? 1 : 0);
        return m.out.toString();
    }

    static String label(Draw.Phase phase) {
        return phase.name().toLowerCase(Locale.ROOT);
    }

    private void gauge(String name, String help, long value) {
        header(name, help, "gauge");
        sample(name, value);
    }

    private void counter(String name, String help, long value) {
        header(name, help, "counter");
        sample(name, value);
    }

    private void header(String name, String help, String type) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    private void sample(String series, long value) {
        out.append(series).append(' ').append(value).append('\n');
    }
}
