package ar.loteria.agency;

import static ar.loteria.common.ActionLine.Result.FAIL;
import static ar.loteria.common.ActionLine.Result.IN_PROGRESS;
import static ar.loteria.common.ActionLine.Result.SUCCESS;

import ar.loteria.common.ActionLine;
import ar.loteria.common.StdoutSetup;
import ar.loteria.wire.WireError;
import org.tinylog.Logger;
import org.tinylog.configuration.Configuration;
import java.time.Duration;

/**
 * Every line of the agency that holds {@code action:}, in one place: the course's tests read
 * them. A retry that may still succeed is in_progress, never fail; and never an
 * exit action, since compose prints the exit itself. A line about a reply is written when the
 * reply has arrived, before the agency sends anything else.
 *
 * <p>Lines go through tinylog's console writer ({@code tinylog.properties}: the course's format,
 * {@code YYYY-MM-DD HH:MM:SS LEVEL    message}, and no writing thread, so each line is written and
 * flushed by the thread that logs it, before that thread goes on).
 */
final class AgencyLog {
    private final int id;

    /** A log through tinylog as it is set up already (a test's: {@code tinylog-test.properties}). */
    AgencyLog(int id) {
        this.id = id;
    }

    /**
     * Agency {@code id}'s log on stdout at {@code level}, a name of {@code log.level}: DEBUG, INFO,
     * WARN, ERROR, FATAL or PANIC (and TRACE, WARNING, CRITICAL, as other loggers spell them).
     * Sets tinylog up, so it comes before the first line of the process.
     */
    static AgencyLog toStdout(int id, String level) {
        StdoutSetup.utf8();
        Configuration.set("level", StdoutSetup.tinylogLevel(level)); // the rest is tinylog.properties
        return new AgencyLog(id);
    }

    void configFailed(String error) {
        Logger.error(ActionLine.format("config", FAIL, "error", error));
    }

    void config(AgencyConfig c) {
        Logger.info(ActionLine.format("config", SUCCESS, "client_id", c.id(), "server_address", c.serverAddress(),
                "loop_amount", c.loopAmount(), "loop_period", GoDuration.format(c.loopPeriod()), "log_level", c.logLevel()));
    }

    // Connecting.

    /**
     * Failed tries to connect, before the central ever answered: at most one line every few
     * seconds, {@code attempts} counting the failures since the line before. The first is DEBUG:
     * compose starts the agency with the central, which may not listen yet.
     */
    void connectRetrying(boolean first, int attempts, Duration tryingFor, String error) {
        String line = ActionLine.format("connect", IN_PROGRESS, "client_id", id, "attempts", attempts,
                "trying_for", GoDuration.format(tryingFor), "error", error);
        if (first) {
            Logger.debug(line);
        } else {
            Logger.info(line);
        }
    }

    void connected(String address) {
        Logger.debug(ActionLine.format("connect", SUCCESS, "client_id", id, "server_address", address));
    }

    /**
     * connect.deadline passed with no progress: {@code attempts} failed in a row, the first
     * {@code triedFor} ago. The lines the agency gave up with before it retried by deadline, with
     * how long it tried after their keys: {@code connect} before the central ever answered,
     * {@code central_connection} once it had.
     */
    void gaveUp(boolean reconnecting, int attempts, Duration triedFor, String error) {
        String tried = GoDuration.format(triedFor);
        Logger.error(reconnecting
                ? ActionLine.format("central_connection", FAIL, "client_id", id, "error", error, "attempts", attempts, "tried_for", tried)
                : ActionLine.format("connect", FAIL, "client_id", id, "attempts", attempts, "error", error, "tried_for", tried));
    }

    /** Failed tries once the central had answered (a connection lost, the tries to get one back), as rarely. */
    void reconnectRetrying(int attempts, Duration tryingFor, String error) {
        Logger.info(ActionLine.format("reconnect", IN_PROGRESS, "client_id", id, "reason", error, "attempts", attempts,
                "trying_for", GoDuration.format(tryingFor)));
    }

    /** The central's WELCOME: it holds this many of the agency's bets, and knows whether all were sent. */
    void welcomed(long stored, boolean done) {
        Logger.debug(ActionLine.format("authenticate", SUCCESS, "client_id", id, "stored", stored, "all_sent", done));
    }

    void noKey() {
        Logger.warn("CLI_KEY is not set: the agency cannot prove who it is, and only a central without AGENCY_KEYS will take it");
    }

    // Echo mode.

    void echoed(String message) {
        Logger.info(ActionLine.format("receive_message", SUCCESS, "client_id", id, "msg", message));
    }

    void echoFailed(String error) {
        Logger.error(ActionLine.format("receive_message", FAIL, "client_id", id, "error", error));
    }

    void loopFinished() {
        Logger.info(ActionLine.format("loop_finished", SUCCESS, "client_id", id));
    }

    // Bets.

    /** A single bet from the environment says so at INFO; the bets of a file, at DEBUG. */
    void betSent(String document, int number, boolean alone) {
        String line = ActionLine.format("apuesta_enviada", SUCCESS, "dni", document, "numero", number);
        if (alone) {
            Logger.info(line);
        } else {
            Logger.debug(line);
        }
    }

    boolean logsEachBet() {
        return Logger.isDebugEnabled();
    }

    void batchRejected(long first, int count, WireError error) {
        Logger.error(ActionLine.format("apuesta_enviada", FAIL, "client_id", id, "desde", first, "cantidad", count, "error", error));
    }

    /** The file holds fewer bets than the central stored for this agency: it is not the file that was sent. */
    void fileTooShort(String file, long stored, long found) {
        Logger.error(ActionLine.format("leer_apuestas", FAIL, "client_id", id, "file", file, "error",
                "the central holds " + stored + " bets of this agency but the file has " + found));
    }

    void progress(long bets, long batches, int percent) {
        Logger.info(ActionLine.format("apuestas_enviadas", IN_PROGRESS, "client_id", id, "enviadas", bets, "lotes", batches, "progreso", percent + "%"));
    }

    void allSent(long bets, long batches) {
        Logger.info(ActionLine.format("apuestas_enviadas", SUCCESS, "client_id", id, "enviadas", bets, "lotes", batches));
    }

    void badData(String file, long line, String error) {
        Logger.error(ActionLine.format("leer_apuestas", FAIL, "client_id", id, "file", file, "line", line, "error", error));
    }

    void unreadableData(String file, String error) {
        Logger.error(ActionLine.format("leer_apuestas", FAIL, "client_id", id, "file", file, "error", error));
    }

    // Winners.

    void winners(int count) {
        Logger.info(ActionLine.format("consulta_ganadores", SUCCESS, "cant_ganadores", count));
    }

    void refused(WireError error) {
        Logger.error(ActionLine.format("central_refused", FAIL, "client_id", id, "error", error));
    }

    /** Another copy of this agency proved its key after this one: reconnecting would push it off in turn, forever. */
    void replaced() {
        Logger.error(ActionLine.format("central_connection", FAIL, "client_id", id, "error",
                "REPLACED: another copy of agency " + id + " connected to the central and took over; this copy stops (run one copy per agency)"));
    }

    void lost(String error) {
        Logger.error(ActionLine.format("central_connection", FAIL, "client_id", id, "error", error));
    }

    // Shutdown.

    void shutdownStarted(String signal) {
        Logger.info(ActionLine.format("shutdown", IN_PROGRESS, "client_id", id, "signal", signal));
    }

    void closed(String resource) {
        Logger.info(ActionLine.format("close_" + resource, SUCCESS, "client_id", id));
    }

    void shutdownDone() {
        Logger.info(ActionLine.format("shutdown", SUCCESS, "client_id", id));
    }
}
