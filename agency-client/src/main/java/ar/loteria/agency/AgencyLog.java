package ar.loteria.agency;

import static ar.loteria.common.ActionLine.Result.FAIL;
import static ar.loteria.common.ActionLine.Result.IN_PROGRESS;
import static ar.loteria.common.ActionLine.Result.SUCCESS;

import ar.loteria.common.ActionLine;
import ar.loteria.common.Console;
import ar.loteria.wire.WireError;
import java.time.Duration;

/**
 * Every line of the agency that holds {@code action:}, in one place: the course's tests read
 * them. A retry that may still succeed is in_progress, never fail; and never an
 * exit action, since compose prints the exit itself. A line about a reply is written when the
 * reply has arrived, before the agency sends anything else.
 */
final class AgencyLog {
    private final int id;
    private final Console console;

    AgencyLog(int id, Console console) {
        this.id = id;
        this.console = console;
    }

    /** A quiet log, warnings and errors only: for an agency inside a test. */
    AgencyLog(int id) {
        this(id, new Console(Console.Level.WARN));
    }

    void configFailed(String error) {
        console.error(ActionLine.format("config", FAIL, "error", error));
    }

    void config(AgencyConfig c) {
        console.info(ActionLine.format("config", SUCCESS, "client_id", c.id(), "server_address", c.serverAddress(),
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
            console.debug(line);
        } else {
            console.info(line);
        }
    }

    void connected(String address) {
        console.debug(ActionLine.format("connect", SUCCESS, "client_id", id, "server_address", address));
    }

    /** connect.deadline passed with no progress: {@code attempts} failed in a row, the first {@code triedFor} ago. */
    void gaveUp(boolean reconnecting, int attempts, Duration triedFor, String error) {
        console.error(ActionLine.format(reconnecting ? "reconnect" : "connect", FAIL, "client_id", id, "attempts", attempts,
                "tried_for", GoDuration.format(triedFor), "error", error));
    }

    /** Failed tries once the central had answered (a connection lost, the tries to get one back), as rarely. */
    void reconnectRetrying(int attempts, Duration tryingFor, String error) {
        console.info(ActionLine.format("reconnect", IN_PROGRESS, "client_id", id, "attempts", attempts,
                "trying_for", GoDuration.format(tryingFor), "error", error));
    }

    /** The central's WELCOME: it holds this many of the agency's bets, and knows whether all were sent. */
    void welcomed(long stored, boolean done) {
        console.debug(ActionLine.format("authenticate", SUCCESS, "client_id", id, "stored", stored, "all_sent", done));
    }

    void noKey() {
        console.warn("CLI_KEY is not set: the agency cannot prove who it is, and only a central without AGENCY_KEYS will take it");
    }

    // Echo mode.

    void echoed(String message) {
        console.info(ActionLine.format("receive_message", SUCCESS, "client_id", id, "msg", message));
    }

    void echoFailed(String error) {
        console.error(ActionLine.format("receive_message", FAIL, "client_id", id, "error", error));
    }

    void loopFinished() {
        console.info(ActionLine.format("loop_finished", SUCCESS, "client_id", id));
    }

    // Bets.

    /** A single bet from the environment says so at INFO; the bets of a file, at DEBUG. */
    void betSent(String document, int number, boolean alone) {
        String line = ActionLine.format("apuesta_enviada", SUCCESS, "dni", document, "numero", number);
        if (alone) {
            console.info(line);
        } else {
            console.debug(line);
        }
    }

    boolean logsEachBet() {
        return console.logs(Console.Level.DEBUG);
    }

    void batchRejected(long first, int count, WireError error) {
        console.error(ActionLine.format("apuesta_enviada", FAIL, "client_id", id, "desde", first, "cantidad", count, "error", error));
    }

    /** The file holds fewer bets than the central stored for this agency: it is not the file that was sent. */
    void fileTooShort(String file, long stored, long found) {
        console.error(ActionLine.format("leer_apuestas", FAIL, "client_id", id, "file", file, "error",
                "the central holds " + stored + " bets of this agency but the file has " + found));
    }

    void progress(long bets, long batches, int percent) {
        console.info(ActionLine.format("apuestas_enviadas", IN_PROGRESS, "client_id", id, "enviadas", bets, "lotes", batches, "progreso", percent + "%"));
    }

    void allSent(long bets, long batches) {
        console.info(ActionLine.format("apuestas_enviadas", SUCCESS, "client_id", id, "enviadas", bets, "lotes", batches));
    }

    void badData(String file, long line, String error) {
        console.error(ActionLine.format("leer_apuestas", FAIL, "client_id", id, "file", file, "line", line, "error", error));
    }

    void unreadableData(String file, String error) {
        console.error(ActionLine.format("leer_apuestas", FAIL, "client_id", id, "file", file, "error", error));
    }

    // Winners.

    void winners(int count) {
        console.info(ActionLine.format("consulta_ganadores", SUCCESS, "cant_ganadores", count));
    }

    void refused(WireError error) {
        console.error(ActionLine.format("central_refused", FAIL, "client_id", id, "error", error));
    }

    void lost(String error) {
        console.error(ActionLine.format("central_connection", FAIL, "client_id", id, "error", error));
    }

    // Shutdown.

    void shutdownStarted(String signal) {
        console.info(ActionLine.format("shutdown", IN_PROGRESS, "client_id", id, "signal", signal));
    }

    void closed(String resource) {
        console.info(ActionLine.format("close_" + resource, SUCCESS, "client_id", id));
    }

    void shutdownDone() {
        console.info(ActionLine.format("shutdown", SUCCESS, "client_id", id));
    }
}
