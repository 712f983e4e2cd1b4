package ar.loteria.central.status;

import java.util.Locale;

/**
 * A snapshot as JSON, served at {@code /status}. Written by hand (no library): every name is
 * fixed here and every value a number, a boolean or a state name, so nothing needs escaping.
 */
final class StatusJson {
    static final String CONTENT_TYPE = "application/json";

    private StatusJson() {
    }

    static String of(Snapshot s) {
        StringBuilder out = new StringBuilder(640);
        out.append("{\"agencies\":{\"expected\":").append(s.agenciesExpected())
                .append(",\"connected\":").append(s.agenciesConnected())
                .append(",\"done\":").append(s.agenciesDone())
                .append("},\"bets_stored\":").append(s.betsStored())
                .append(",\"batches_stored\":").append(s.batchesStored())
                .append(",\"draw\":\"").append(MetricsText.label(s.draw()))
                .append("\",\"in_flight\":{\"batches\":").append(s.batchesInFlight())
                .append(",\"bytes\":").append(s.inFlightBytes())
                .append(",\"budget_bytes\":").append(s.inFlightBudgetBytes())
                .append("},\"connections\":{\"open\":").append(s.connectionsOpen())
                .append(",\"max\":").append(s.maxConnections())
                .append(",\"reply_bytes_queued\":").append(s.queuedReplyBytes())
                .append("},\"refusals\":{");
        String comma = "";
        for (var e : s.refusals().entrySet()) {
            out.append(comma).append('"').append(e.getKey().label()).append("\":").append(e.getValue());
            comma = ",";
        }
        out.append("},\"reactor\":{\"sweep_age_seconds\":")
                .append(s.sinceSweepMillis() < 0 ? "null" : String.format(Locale.ROOT, "%.3f", s.sinceSweepMillis() / 1000.0))
                .append(",\"healthy\":").append(s.healthy())
                .append("}}\n");
        return out.toString();
    }
}
