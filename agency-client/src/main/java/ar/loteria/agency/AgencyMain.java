package ar.loteria.agency;

import ar.loteria.common.ConfigException;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import sun.misc.Signal;

/** Starts the agency from {@code config.yaml} and the environment; exit code 0 after SIGTERM. */
public final class AgencyMain {
    /** Past this, a stop that is not over yet ends the process anyway: SIGTERM means exit within a second. */
    private static final long STOP_DEADLINE_MILLIS = 900;

    private AgencyMain() {
    }

    public static void main(String[] args) {
        AgencyConfig config;
        try {
            config = AgencyConfig.load(Path.of("config.yaml"), System.getenv());
        } catch (ConfigException e) {
            AgencyLog.toStdout(0, "INFO").configFailed(e.getMessage());
            exit(1);
            return;
        }
        AgencyLog log = AgencyLog.toStdout(config.id(), config.logLevel());
        log.config(config);
        Stop stop = new Stop(Thread.currentThread());
        // The JVM would exit with 143 on SIGTERM; handling it lets the agency close what it holds and exit 0.
        Signal.handle(new Signal("TERM"), s -> stopOn("SIGTERM", stop, log));
        Signal.handle(new Signal("INT"), s -> stopOn("SIGINT", stop, log));
        exit(run(config, log, stop));
    }

    private static int run(AgencyConfig config, AgencyLog log, Stop stop) {
        try {
            if (config.mode() == AgencyConfig.Mode.ECHO) {
                return new EchoLoop(config, log, stop).run();
            }
            BetSource source;
            try {
                source = config.singleBet().isPresent() ? BetSource.of(config.singleBet().get())
                        : BetFile.open(config.dataFile(), Clock.systemUTC());
            } catch (NoSuchFileException e) {
                log.unreadableData(config.dataFile().toString(), "no such file");
                return 1;
            } catch (IOException e) {
                log.unreadableData(config.dataFile().toString(), e.toString());
                return 1;
            }
            try {
                return new AgencyRun(config, log, stop).run(source);
            } finally {
                closeSource(source, log);
            }
        } catch (Stop.Stopped e) {
            log.shutdownDone();
            return 0;
        }
    }

    private static void closeSource(BetSource source, AgencyLog log) {
        try {
            source.close();
            if (!source.single()) {
                log.closed("data_file");
            }
        } catch (IOException ignored) {
            // nothing more to read from it anyway
        }
    }

    private static void stopOn(String signal, Stop stop, AgencyLog log) {
        log.shutdownStarted(signal);
        stop.request(signal);
        Thread deadline = new Thread(() -> {
            try {
                TimeUnit.MILLISECONDS.sleep(STOP_DEADLINE_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
            Runtime.getRuntime().halt(0);
        }, "stop-deadline");
        deadline.setDaemon(true);
        deadline.start();
    }

    private static void exit(int code) {
        System.exit(code);
    }
}
