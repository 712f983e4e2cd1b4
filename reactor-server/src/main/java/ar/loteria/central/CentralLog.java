package ar.loteria.central;

import static ar.loteria.central.ActionLine.Result.FAIL;
import static ar.loteria.central.ActionLine.Result.IN_PROGRESS;
import static ar.loteria.central.ActionLine.Result.SUCCESS;

import ar.loteria.wire.WireError;
import org.tinylog.Logger;

/**
 * Every line of the central that holds {@code action:}, in one place: the course's tests read
 * them, so this file is the contract. It has no exit action: compose prints the exit.
 * The central never uses an agency's action names (consulta_ganadores, apuesta_enviada), so
 * counting them over every container's log counts agencies only.
 */
public final class CentralLog {
    /** Lines a peer can cause at will: each kind gets a burst of 100, then 50 a second. */
    private final LineBudget echoLines = new LineBudget(100, 50, System.nanoTime());
    private final LineBudget refusals = new LineBudget(100, 50, System.nanoTime());
    private final LineBudget peerErrors = new LineBudget(100, 50, System.nanoTime());

    /** Whether a line of this budget may go out now; says first how many were left out before it. */
    private static boolean allowed(LineBudget budget, String what) {
        long skipped = budget.take(System.nanoTime());
        if (skipped > 0) {
            Logger.warn("{} {} lines were not logged (at most 50 a second)", skipped, what);
        }
        return skipped >= 0;
    }

    // Start and configuration.

    public void config(int port, int backlog, String level) {
        Logger.debug(ActionLine.format("config", SUCCESS, "port", port, "listen_backlog", backlog, "logging_level", level));
    }

    public void configFailed(String error) {
        Logger.error(ActionLine.format("config", FAIL, "error", error));
    }

    public void startFailed(String error) {
        Logger.error(ActionLine.format("start", FAIL, "error", error));
    }

    public void storeRecovered(long bets, long batches, int agenciesDone, long discardedBytes, String path) {
        Logger.info(ActionLine.format("store_recovery", SUCCESS, "bets", bets, "batches", batches,
                "agencies_done", agenciesDone, "discarded_bytes", discardedBytes, "path", path));
    }

    // Connections.

    public void listening(String address) {
        Logger.info(ActionLine.format("accept_connections", IN_PROGRESS, "address", address));
    }

    public void accepted(String ip) {
        Logger.debug(ActionLine.format("accept_connections", SUCCESS, "ip", ip));
    }

    public void refused(String ip, int limit) {
        if (allowed(refusals, "accept_connections")) {
            Logger.warn(ActionLine.format("accept_connections", FAIL, "ip", ip, "error", "connection limit " + limit + " reached"));
        }
    }

    public void acceptPaused(String error, long millis) {
        Logger.error(ActionLine.format("accept_connections", FAIL, "error", error, "paused_ms", millis));
    }

    public void connectionClosed(String ip, String reason) {
        Logger.debug(ActionLine.format("close_connection", SUCCESS, "ip", ip, "reason", reason));
    }

    public void echoed(String ip, String message) {
        if (allowed(echoLines, "receive_message")) {
            Logger.info(ActionLine.format("receive_message", SUCCESS, "ip", ip, "msg", message));
        }
    }

    public void echoLineTooLong(String ip, int limit) {
        if (allowed(peerErrors, "receive_message")) {
            Logger.warn(ActionLine.format("receive_message", FAIL, "ip", ip, "error", "line longer than " + limit + " bytes"));
        }
    }

    public void protocolError(String ip, int agency, WireError error) {
        if (allowed(peerErrors, "protocol_error")) {
            Logger.warn(ActionLine.format("protocol_error", FAIL, "ip", ip, "agency", agencyOrNone(agency), "error", error));
        }
    }

    /** A bug met on the reactor thread: the reactor goes on, this is its one trace. */
    public void unexpected(String where, RuntimeException error) {
        Logger.error(ActionLine.format("reactor", FAIL, "where", where, "error", error));
    }

    // Agencies and bets.

    public void agencyConnected(int agency, String ip) {
        Logger.debug(ActionLine.format("agency_connected", SUCCESS, "agency", agency, "ip", ip));
    }

    public void agencyReplaced(int agency, String oldIp) {
        Logger.info(ActionLine.format("agency_reconnected", SUCCESS, "agency", agency, "replaced_ip", oldIp));
    }

    public void batchStored(int agency, long sequence, int count) {
        Logger.info(ActionLine.format("apuesta_recibida", SUCCESS, "cantidad", count, "agencia", agency, "lote", sequence));
    }

    public void batchResent(int agency, long sequence, int count) {
        Logger.info(ActionLine.format("apuesta_recibida", SUCCESS, "cantidad", count, "agencia", agency, "lote", sequence, "reenvio", "ya almacenado"));
    }

    public void batchRejected(int agency, long sequence, int count, WireError error) {
        Logger.info(ActionLine.format("apuesta_recibida", FAIL, "cantidad", count, "agencia", agency, "lote", sequence, "error", error));
    }

    public boolean logsEachBet() {
        return Logger.isDebugEnabled();
    }

    /**
     * A stored bet: at INFO when it is a batch of its own (the course's exercise 5, one bet per
     * agency), at DEBUG when it is one of many, so that a real dataset does not print each.
     */
    public void betStored(String document, int number, boolean alone) {
        String line = ActionLine.format("apuesta_almacenada", SUCCESS, "dni", document, "numero", number);
        if (alone) {
            Logger.info(line);
        } else {
            Logger.debug(line);
        }
    }

    public void storeFailed(String error) {
        Logger.error(ActionLine.format("store", FAIL, "error", error));
    }

    public void agencyDone(int agency, long batches, int done, int expected) {
        Logger.info(ActionLine.format("agency_done", SUCCESS, "agency", agency, "batches", batches, "agencies_done", done + "/" + expected));
    }

    // The draw.

    public void winnersParked(int agency, int done, int expected) {
        Logger.info(ActionLine.format("winners_query", IN_PROGRESS, "agency", agency, "agencies_done", done + "/" + expected));
    }

    public void winnersSent(int agency, int winners) {
        Logger.info(ActionLine.format("winners_query", SUCCESS, "agency", agency, "winners", winners));
    }

    public void drawn() {
        Logger.info(ActionLine.format("sorteo", SUCCESS));
    }

    public void drawSummary(long bets, long winners, long millis) {
        Logger.info(ActionLine.format("draw_summary", SUCCESS, "bets", bets, "winners", winners, "millis", millis));
    }

    public void drawFailed(String error) {
        Logger.error(ActionLine.format("sorteo", FAIL, "error", error));
    }

    // Shutdown: one line per resource.

    public void shutdownStarted(String signal) {
        Logger.info(ActionLine.format("shutdown", IN_PROGRESS, "signal", signal));
    }

    public void closed(String resource) {
        Logger.info(ActionLine.format("close_" + resource, SUCCESS));
    }

    public void closedConnection(String ip, int agency) {
        Logger.info(ActionLine.format("close_connection", SUCCESS, "ip", ip, "agency", agencyOrNone(agency), "reason", "shutdown"));
    }

    public void closeFailed(String resource, String error) {
        Logger.error(ActionLine.format("close_" + resource, FAIL, "error", error));
    }

    public void shutdownDone() {
        Logger.info(ActionLine.format("shutdown", SUCCESS));
    }

    /** 0 means the peer never said which agency it is. */
    private static Object agencyOrNone(int agency) {
        return agency == 0 ? "none" : agency;
    }
}
