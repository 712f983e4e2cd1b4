package ar.loteria.central;

import ar.loteria.central.reactor.Limits;
import ar.loteria.central.session.AgencyKeys;
import ar.loteria.central.session.Lottery;
import ar.loteria.common.ConfigException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * A central serving on a free loopback port, in this JVM, on a thread of its own. What would
 * stop the process (a fatal error) stops this central instead and fails the test at close.
 */
public final class RunningCentral implements AutoCloseable {
    private final Central central;
    private final Thread thread;
    private final AtomicReference<Throwable> crash = new AtomicReference<>();
    private final Path store;
    private final AtomicReference<Throwable> fatalSink;
    private volatile int exitCode = -1;

    private RunningCentral(Central central, Path store, AtomicReference<Throwable> fatal) {
        this.central = central;
        this.store = store;
        this.thread = new Thread(() -> {
            try {
                exitCode = central.run();
            } catch (Throwable t) {
                crash.compareAndSet(null, t);
            }
        }, "reactor");
        fatalSink = fatal;
        thread.start();
    }

    public static RunningCentral start(Path store, int agencies) throws IOException {
        return start(config(store, agencies));
    }

    public static RunningCentral start(ServerConfig config) throws IOException {
        return start(config, null);
    }

    /** With the store opened by {@code stores} (one that fails on demand, say). */
    public static RunningCentral start(ServerConfig config, Central.StoreOpener stores) throws IOException {
        return start(config, stores, Lottery.IN_FLIGHT_BYTES);
    }

    /** With at most {@code inFlightBytes} of batches on their way to disk at once. */
    public static RunningCentral startWithInFlight(ServerConfig config, long inFlightBytes) throws IOException {
        return start(config, null, inFlightBytes);
    }

    private static RunningCentral start(ServerConfig config, Central.StoreOpener stores, long inFlightBytes) throws IOException {
        AtomicReference<Throwable> fatal = new AtomicReference<>();
        CentralLog log = new CentralLog();
        Central[] central = new Central[1];
        Central.FailStop failStop = (where, error) -> {
            fatal.compareAndSet(null, error);
            central[0].stop("fatal in " + where);
        };
        central[0] = Central.open(config, log, failStop, stores == null ? Central.defaultStores() : stores, inFlightBytes);
        return new RunningCentral(central[0], config.storeDirectory(), fatal);
    }

    /** Loopback, a free port, keys for every agency, limits roomy enough for many test agencies on one address. */
    public static ServerConfig config(Path store, int agencies) {
        try {
            return new ServerConfig("127.0.0.1", 0, 512, "INFO", agencies, store, 2,
                    new Limits(10_240, 10_240, Duration.ofSeconds(30), Duration.ofSeconds(30), Duration.ofSeconds(30)),
                    agencies == 0 ? AgencyKeys.none() : AgencyKeys.parse(keysFor(agencies), agencies), Optional.empty());
        } catch (ConfigException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The same, listening on {@code port}. */
    public static ServerConfig config(Path store, int agencies, int port) {
        ServerConfig c = config(store, agencies);
        return new ServerConfig(c.ip(), port, c.listenBacklog(), c.loggingLevel(), c.agencies(), c.storeDirectory(), c.workers(), c.limits(), c.keys(),
                c.status());
    }

    /** {@code AGENCY_KEYS} for agencies 1..n, with {@link TestKeys}. */
    public static String keysFor(int agencies) {
        return IntStream.rangeClosed(1, agencies).mapToObj(a -> a + ":" + TestKeys.of(a)).collect(Collectors.joining(","));
    }

    public InetSocketAddress address() {
        try {
            return central.address();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Where its status view listens; empty when it is off. */
    public Optional<InetSocketAddress> statusAddress() {
        return central.statusAddress();
    }

    public Path betsCsv() {
        return store.resolve("bets.csv");
    }

    /** Stops it as SIGTERM would; the exit code {@link Central#run} returned. */
    public int stop() {
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
        return exitCode;
    }

    /** What would have ended the process, if anything. */
    public Throwable fatal() {
        return fatalSink.get();
    }

    /** Whether the central stopped by itself (a store failure, say), with its exit code. */
    public int awaitStopByItself(Duration within) throws InterruptedException {
        thread.join(within.toMillis());
        if (thread.isAlive()) {
            throw new AssertionError("the central is still running after " + within);
        }
        return exitCode;
    }

    @Override
    public void close() {
        stop();
        if (fatalSink.get() != null) {
            throw new AssertionError("the central met a fatal error", fatalSink.get());
        }
    }
}
