package ar.loteria.central;

import static ar.loteria.common.ActionLine.Result.FAIL;
import static ar.loteria.common.ActionLine.Result.IN_PROGRESS;
import static ar.loteria.common.ActionLine.Result.SUCCESS;

import ar.loteria.common.ActionLine;
import ar.loteria.common.LineFlush;
import ar.loteria.common.StdoutSetup;
import ar.loteria.wire.WireError;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.tinylog.Logger;

/**
 * Every line of the central that holds {@code action:}, in one place: the course's tests read
 * them, so this file is the contract. It has no exit action: compose prints the exit. The
 * central never uses an agency's action names (consulta_ganadores, apuesta_enviada), so counting
 * them over every container's log counts agencies only.
 *
 * <p>Lines go through tinylog, set up by {@link StdoutLog}: each is written and flushed by the
 * thread that makes its event happen, before the effect can be seen elsewhere. Lines a peer can
 * cause at will (echo lines, refused or displaced connections, protocol errors, failed proofs,
 * the output budget's shedding) each have a {@link LineBudget}, so a flood grows neither the log
 * nor the heap.
 */
public final class CentralLog implements CentralEvents {
    private static final int BURST = 100;
    private static final int PER_SECOND = 50;
    /** How long the sorteo line is given to reach the reader of stdout before the first answer (see {@link #drawn}). */
    private static final Duration SETTLE = Duration.ofMillis(100);

    /** An echoed line is logged cut here: the echo is whole, the log need not be. */
    static final int MAX_LOGGED_CHARS = 256;
    private final LineBudget echoLines = budget("receive_message");
    private final LineBudget refusals = budget("accept_connections");
    private final LineBudget peerErrors = budget("protocol_error");
    private final LineBudget authFailures = budget("authentication");
    private final LineBudget displacements = budget("displace_connection");
    private final LineBudget sheddings = budget("output_budget");
    private final LineBudget strangersClosed = budget("close_connection");
    private final LineFlush stdout;

    /**
     * The central's log on stdout at {@code level}, a name of {@code LOGGING_LEVEL}: DEBUG, INFO,
     * WARNING, ERROR or CRITICAL (and TRACE, WARN, as Python's and Go's loggers also spell them).
     * Sets tinylog up, so it comes before the first line of the process.
     */
    public static CentralLog toStdout(String level) {
        return new CentralLog(StdoutLog.configure(StdoutSetup.tinylogLevel(level)));
    }

    /** A log through tinylog as it is set up already (a test's: {@code tinylog-test.properties}). */
    public CentralLog() {
        this(null);
    }

    /** {@code stdout}: the buffer of the stdout tinylog writes to, or null when it is not ours to hold. */
    private CentralLog(LineFlush stdout) {
        this.stdout = stdout;
    }

    private static LineBudget budget(String name) {
        return new LineBudget(name, BURST, PER_SECOND, System.nanoTime());
    }

    /** Whether a line of this budget may go out now; says first how many were left out before it. */
    private boolean allowed(LineBudget budget) {
        long skipped = budget.take(System.nanoTime());
        if (skipped > 0) {
            skipped(budget, skipped);
        }
        return skipped >= 0;
    }

    private void skipped(LineBudget budget, long count) {
        Logger.warn(count + " " + budget.name() + " lines were not logged (at most " + PER_SECOND + " a second after a burst of " + BURST + ")");
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

    public void noKeys() {
        Logger.warn("AGENCY_KEYS is not set: agencies are not authenticated, and any peer may speak for any agency");
    }

    /** The status view listens (SERVER_STATUS_PORT). */
    public void statusListening(String address) {
        Logger.info(ActionLine.format("serve_status", IN_PROGRESS, "address", address));
    }

    public void limits(int connections, int perAddress, long descriptors) {
        Logger.debug(ActionLine.format("limits", SUCCESS, "max_connections", connections, "per_address", perAddress, "descriptors", descriptors));
    }

    @Override
    public void storeRecovered(long bets, long commits, int agenciesDone, long cutCommitBytes, long cutCsvBytes, String path) {
        Logger.info(ActionLine.format("store_recovery", SUCCESS, "bets", bets, "commits", commits, "agencies_done", agenciesDone,
                "cut_commit_bytes", cutCommitBytes, "cut_csv_bytes", cutCsvBytes, "path", path));
    }

    /** The store is damaged: the central does not start on it, and says how to repair it. */
    public void storeRefused(String damage, String repair) {
        Logger.error(ActionLine.format("store_recovery", FAIL, "error", damage, "repair", repair));
    }

    /** Something the central cannot go on from: it stops now, with this one line. */
    public void fatal(String where, Throwable error) {
        Logger.error(ActionLine.format("fatal", FAIL, "where", where, "error", error));
    }

    // Connections: what the reactor reports.

    @Override
    public void listening(String address) {
        Logger.info(ActionLine.format("accept_connections", IN_PROGRESS, "address", address));
    }

    @Override
    public void accepted(String ip) {
        Logger.debug(ActionLine.format("accept_connections", SUCCESS, "ip", ip));
    }

    @Override
    public void refused(String ip, String limit) {
        if (allowed(refusals)) {
            Logger.warn(ActionLine.format("accept_connections", FAIL, "ip", ip, "error", limit + " reached"));
        }
    }

    @Override
    public void displaced(String ip, String newcomerIp, String limit) {
        if (allowed(displacements)) {
            Logger.warn(ActionLine.format("displace_connection", SUCCESS, "ip", ip, "newcomer_ip", newcomerIp, "reason", limit + " reached"));
        }
    }

    @Override
    public void outputShed(long heldBytes, long budgetBytes) {
        if (allowed(sheddings)) {
            Logger.warn(ActionLine.format("output_budget", IN_PROGRESS, "held_bytes", heldBytes, "budget_bytes", budgetBytes,
                    "shedding", "peers that hold the most unsent replies"));
        }
    }

    @Override
    public void outputDrained(long heldBytes, int resumed) {
        if (allowed(sheddings)) {
            Logger.info(ActionLine.format("output_budget", SUCCESS, "held_bytes", heldBytes, "resumed", resumed));
        }
    }

    @Override
    public void acceptPaused(String error, long millis) {
        if (allowed(refusals)) {
            Logger.error(ActionLine.format("accept_connections", FAIL, "error", error, "paused_ms", millis));
        }
    }

    @Override
    public void closed(String ip, String reason) {
        Logger.debug(ActionLine.format("close_connection", SUCCESS, "ip", ip, "reason", reason));
    }

    @Override
    public void unexpected(String ip, RuntimeException error) {
        Logger.error(ActionLine.format("connection", FAIL, "ip", ip, "error", error));
    }

    @Override
    public void echoed(String ip, byte[] line, int from, int to) {
        if (allowed(echoLines)) { // the text only for a line that is told: a flood's lines cost no String
            String text = new String(line, from, to - from, StandardCharsets.UTF_8);
            String message = text.length() > MAX_LOGGED_CHARS ? text.substring(0, MAX_LOGGED_CHARS) + "…" : text;
            Logger.info(ActionLine.format("receive_message", SUCCESS, "ip", ip, "msg", message));
        }
    }

    @Override
    public void echoLineTooLong(String ip, int limit) {
        if (allowed(peerErrors)) {
            Logger.warn(ActionLine.format("receive_message", FAIL, "ip", ip, "error", "line longer than " + limit + " bytes"));
        }
    }

    @Override
    public void protocolError(String ip, int agency, WireError error) {
        if (allowed(peerErrors)) {
            Logger.warn(ActionLine.format("protocol_error", FAIL, "ip", ip, "agency", agencyOrNone(agency), "error", error));
        }
    }

    // Agencies and bets.

    @Override
    public void authFailed(String ip, int claimed) {
        if (allowed(authFailures)) {
            Logger.warn(ActionLine.format("authentication", FAIL, "ip", ip, "agency", claimed));
        }
    }

    @Override
    public void unknownAgency(String ip, int claimed, int agencies) {
        if (allowed(authFailures)) {
            Logger.warn(ActionLine.format("authentication", FAIL, "ip", ip, "agency", claimed, "error", "no such agency: they are 1 to " + agencies));
        }
    }

    @Override
    public void agencyConnected(int agency, String ip, long stored, boolean done) {
        Logger.debug(ActionLine.format("agency_connected", SUCCESS, "agency", agency, "ip", ip, "stored", stored, "all_sent", done));
    }

    @Override
    public void agencyReplaced(int agency, String oldIp) {
        Logger.info(ActionLine.format("agency_reconnected", SUCCESS, "agency", agency, "replaced_ip", oldIp));
    }

    /** A group's lines leave in one write at {@link #groupLogged}: at 15,000 batches a second, one write per line was the journal's. */
    @Override
    public void groupLogging() {
        if (stdout != null) {
            stdout.hold();
        }
    }

    @Override
    public void groupLogged() {
        if (stdout != null) {
            stdout.release();
        }
    }

    /** A batch is durable: {@code fresh} of its {@code count} bets are new, the rest were stored before. */
    @Override
    public void batchStored(int agency, long first, int count, int fresh) {
        Logger.info(ActionLine.format("apuesta_recibida", SUCCESS, "cantidad", count, "agencia", agency, "desde", first, "nuevas", fresh));
    }

    @Override
    public void batchRejected(int agency, long first, int count, WireError error) {
        Logger.info(ActionLine.format("apuesta_recibida", FAIL, "cantidad", count, "agencia", agency, "desde", first, "error", error));
    }

    @Override
    public boolean logsEachBet() {
        return Logger.isDebugEnabled();
    }

    /**
     * A stored bet: at INFO when its batch holds only it (the course's exercise 5, one bet per
     * agency), at DEBUG when it is one of many, so that a real dataset does not print each.
     */
    @Override
    public void betStored(String document, int number, boolean alone) {
        String line = ActionLine.format("apuesta_almacenada", SUCCESS, "dni", document, "numero", number);
        if (alone) {
            Logger.info(line);
        } else {
            Logger.debug(line);
        }
    }

    @Override
    public void storeFailed(String error) {
        Logger.error(ActionLine.format("store", FAIL, "error", error));
    }

    @Override
    public void agencyDone(int agency, long bets, int done, int expected) {
        Logger.info(ActionLine.format("agency_done", SUCCESS, "agency", agency, "bets", bets, "agencies_done", done + "/" + expected));
    }

    // The draw.

    @Override
    public void winnersParked(int agency, int done, int expected) {
        Logger.info(ActionLine.format("winners_query", IN_PROGRESS, "agency", agency, "agencies_done", done + "/" + expected));
    }

    @Override
    public void winnersSent(int agency, long winners) {
        Logger.info(ActionLine.format("winners_query", SUCCESS, "agency", agency, "winners", winners));
    }

    /**
     * The draw is over. The course's tests order lines by Docker's stamps, which Docker takes when
     * it reads a line, after we write it: so the tally's thread also waits (at most 100 ms) until
     * stdout's reader took the line, before any agency can be answered and log its winners.
     */
    @Override
    public void drawn(long bets, long winners, long millis) {
        Logger.info(ActionLine.format("sorteo", SUCCESS));
        Logger.info(ActionLine.format("draw_summary", SUCCESS, "bets", bets, "winners", winners, "millis", millis));
        StdoutLog.awaitReader(SETTLE);
    }

    /** The draw found the rows damaged: no draw from them, the central stops, and says how to repair it. */
    public void drawDamaged(String damage, String repair) {
        Logger.error(ActionLine.format("sorteo", FAIL, "error", damage, "repair", repair));
    }

    /** The draw could not be made: the central stops (see {@code Stop.DRAW_FAILED}); the next start draws again. */
    @Override
    public void drawFailed(String error) {
        Logger.error(ActionLine.format("sorteo", FAIL, "error", error));
    }

    // Memory.

    /** Idle after a burst, the central collected its heap: committed {@code beforeBytes} then, {@code afterBytes} now. */
    public void heapReleased(long beforeBytes, long afterBytes, long millis) {
        Logger.info(ActionLine.format("heap_release", SUCCESS, "heap_kib_before", beforeBytes >> 10, "heap_kib_after", afterBytes >> 10,
                "millis", millis));
    }

    // Shutdown: one line per resource.

    public void shutdownStarted(String reason) {
        Logger.info(ActionLine.format("shutdown", IN_PROGRESS, "signal", reason));
    }

    public void closed(String resource) {
        Logger.info(ActionLine.format("close_" + resource, SUCCESS));
    }

    @Override
    /** An agency's line always; a stranger's within a budget, as ten thousand of them could outlast the stop's grace. */
    public void closedAtShutdown(String ip, int agency) {
        if (agency != 0 || allowed(strangersClosed)) {
            Logger.info(ActionLine.format("close_connection", SUCCESS, "ip", ip, "agency", agencyOrNone(agency), "reason", "shutdown"));
        }
    }

    public void closeFailed(String resource, String error) {
        Logger.error(ActionLine.format("close_" + resource, FAIL, "error", error));
    }

    /** The count of lines left out and never told, before the last line. */
    public void shutdownDone(boolean clean) {
        tellUntold();
        if (clean) {
            Logger.info(ActionLine.format("shutdown", SUCCESS));
        } else {
            Logger.error(ActionLine.format("shutdown", FAIL, "error", "the store failed; the next start recovers it"));
        }
    }

    /** The last line after the draw found the rows damaged. */
    public void shutdownDamaged() {
        tellUntold();
        Logger.error(ActionLine.format("shutdown", FAIL, "error", "the store is damaged; the next start refuses until it is repaired"));
    }

    private void tellUntold() {
        for (LineBudget budget : new LineBudget[] {echoLines, refusals, peerErrors, authFailures, displacements, sheddings, strangersClosed}) {
            long left = budget.untold();
            if (left > 0) {
                skipped(budget, left);
            }
        }
    }

    /** 0 means the peer never said which agency it is. */
    private static Object agencyOrNone(int agency) {
        return agency == 0 ? "none" : agency;
    }
}
