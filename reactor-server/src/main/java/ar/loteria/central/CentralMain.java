package ar.loteria.central;

import java.io.IOException;
import java.nio.file.Path;
import sun.misc.Signal;

/** Starts the central from {@code config.ini} and the environment; exit code 0 after SIGTERM. */
public final class CentralMain {
    private CentralMain() {
    }

    public static void main(String[] args) {
        ServerConfig config;
        try {
            config = ServerConfig.load(Path.of("config.ini"), System.getenv());
        } catch (ConfigException e) {
            Logging.configure("INFO");
            new CentralLog().configFailed(e.getMessage());
            exit(1);
            return;
        }
        Logging.configure(config.loggingLevel());
        CentralLog log = new CentralLog();
        log.config(config.port(), config.listenBacklog(), config.loggingLevel());
        Central central;
        try {
            central = Central.open(config, log);
        } catch (IOException | RuntimeException e) {
            log.startFailed(e.getMessage() == null ? e.toString() : e.getMessage());
            exit(1);
            return;
        }
        // The JVM would exit with 143 on SIGTERM; handling the signal lets the central close down and exit 0.
        Signal.handle(new Signal("TERM"), s -> central.stop("SIGTERM"));
        Signal.handle(new Signal("INT"), s -> central.stop("SIGINT"));
        try {
            central.run();
        } catch (IOException e) {
            log.startFailed(e.toString());
            exit(1);
        }
        exit(0);
    }

    private static void exit(int code) {
        Logging.shutdown();
        System.exit(code);
    }
}
