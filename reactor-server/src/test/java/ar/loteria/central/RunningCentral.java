package ar.loteria.central;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

/** A central serving on a free loopback port, in this JVM, on a thread of its own. */
public final class RunningCentral implements AutoCloseable {
    private final Central central;
    private final Thread thread;
    private final AtomicReference<Throwable> crash = new AtomicReference<>();
    private final Path store;

    private RunningCentral(Central central, Path store) {
        this.central = central;
        this.store = store;
        this.thread = new Thread(() -> {
            try {
                central.run();
            } catch (Throwable t) {
                crash.set(t);
            }
        }, "reactor");
        thread.start();
    }

    public static RunningCentral start(Path store, int agencies) throws IOException {
        return start(config(store, agencies));
    }

    public static RunningCentral start(ServerConfig config) throws IOException {
        return new RunningCentral(Central.open(config, new CentralLog()), config.storeDirectory());
    }

    /** Loopback, a free port, a backlog that 200 simultaneous connects do not overflow. */
    public static ServerConfig config(Path store, int agencies) {
        return new ServerConfig("127.0.0.1", 0, 512, "INFO", agencies, store, 2, 10_240, Duration.ofSeconds(30));
    }

    public InetSocketAddress address() {
        try {
            return central.address();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Path betsCsv() {
        return store.resolve("bets.csv");
    }

    @Override
    public void close() {
        central.stop("test");
        try {
            thread.join(Duration.ofSeconds(10).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            throw new AssertionError("the central did not stop within 10 s");
        }
        if (crash.get() != null) {
            throw new AssertionError("the central crashed", crash.get());
        }
    }
}
