package ar.loteria.central;

import ar.loteria.central.store.Damaged;
import ar.loteria.central.store.Repair;
import ar.loteria.common.ConfigException;
import java.io.IOException;
import java.nio.file.Path;
import sun.misc.Signal;

/**
 * Starts the central from {@code config.ini} and the environment. Exit codes: 0 after SIGTERM,
 * 1 when it cannot start (a damaged store included), {@link Stop#STORE_FAILED} when its disk
 * failed or the draw found the rows damaged, {@link Stop#DRAW_FAILED} when the draw failed
 * otherwise, {@link Stop#FATAL} after an unexpected error (one ERROR line, then the process ends at once), 3 when the heap ran out
 * under the shipped JVM options (the JVM's own {@code -XX:+ExitOnOutOfMemoryError}). Without
 * them an exhausted heap can fail the error path itself, even the halt: the process still ends,
 * with 70 or 1.
 */
public final class CentralMain {
    private CentralMain() {
    }

    public static void main(String[] args) {
        serveAndExit(null);
    }

    /** Serves with the store opened by {@code stores} (null: the real one), then ends the process with the exit code. */
    static void serveAndExit(Central.StoreOpener stores) {
        int code;
        try {
            code = serve(stores);
        } catch (Throwable t) { // escaped the fail-stop path, or failed it (an exhausted heap can): end anyway
            try {
                t.printStackTrace();
            } finally {
                Runtime.getRuntime().halt(Stop.FATAL);
            }
            throw t;
        }
        exit(code);
    }

    /** Runs the central from its configuration, with its store opened by {@code stores} (null: the real one); the exit code. */
    static int serve(Central.StoreOpener stores) {
        ServerConfig config;
        try {
            config = ServerConfig.load(Path.of("config.ini"), System.getenv());
        } catch (ConfigException e) {
            CentralLog.toStdout("INFO").configFailed(e.getMessage());
            return 1;
        }
        CentralLog log = CentralLog.toStdout(config.loggingLevel());
        log.config(config.port(), config.listenBacklog(), config.loggingLevel());
        Central.FailStop failStop = (where, error) -> {
            try {
                log.fatal(where, error);
            } finally {
                Runtime.getRuntime().halt(Stop.FATAL); // not exit(): shutdown hooks or a broken heap could hang it
            }
        };
        Central central;
        try {
            central = stores == null ? Central.open(config, log, failStop) : Central.open(config, log, failStop, stores);
        } catch (Damaged e) {
            log.storeRefused(e.getMessage(), Repair.command(config.storeDirectory()));
            return 1;
        } catch (IOException | RuntimeException e) {
            log.startFailed(e.getMessage() == null ? e.toString() : e.getMessage());
            return 1;
        }
        // The JVM would exit with 143 on SIGTERM; handling the signal lets the central close down and exit 0.
        Signal.handle(new Signal("TERM"), s -> central.stop("SIGTERM"));
        Signal.handle(new Signal("INT"), s -> central.stop("SIGINT"));
        try {
            return central.run();
        } catch (IOException e) {
            log.startFailed(e.toString());
            return 1;
        }
    }

    private static void exit(int code) {
        System.exit(code);
    }
}
