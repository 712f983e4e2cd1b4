package ar.loteria.central;

import ar.loteria.central.draw.Draw;
import ar.loteria.central.draw.RunningTally;
import ar.loteria.central.draw.StoredBets;
import ar.loteria.central.reactor.Limits;
import ar.loteria.central.reactor.Listener;
import ar.loteria.central.reactor.Reactor;
import ar.loteria.central.reactor.ReactorEvents;
import ar.loteria.central.session.Lottery;
import ar.loteria.central.status.CentralStatus;
import ar.loteria.central.status.StatusSession;
import ar.loteria.central.store.BetWatch;
import ar.loteria.central.store.Damaged;
import ar.loteria.central.store.Repair;
import ar.loteria.central.store.Store;
import ar.loteria.central.store.StoreEvents;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The lottery central put together: the store and its journal, the workers, the reactor and the
 * draw. {@link #run} serves on the calling thread, which becomes the reactor thread, until
 * {@link #stop}; then it shuts everything down in order, logging each resource it closes.
 *
 * <p>Fail-stop: an unexpected throwable on the reactor or a worker goes to the {@link FailStop},
 * which ends the process (the port must not stay bound by a central that serves no one); an
 * exhausted heap can fail that path too, so the shipped JVM options end the process at the first
 * OutOfMemoryError, and no thread of the central keeps alive a process whose main thread is gone.
 * A store that cannot write stops the central the graceful way, and so does a draw that fails:
 * each is a {@link Stop}, as a signal is, and the stop decides the exit code.
 */
public final class Central {
    /** How long shutdown waits for workers to finish the batches already received. */
    private static final long DRAIN_MILLIS = 1_000;
    /** How long it then waits for a tally in progress to notice it is cancelled. */
    private static final long CANCEL_MILLIS = 200;

    /** Ends the process after an unexpected throwable; it never returns normally in production. */
    @FunctionalInterface
    public interface FailStop {
        void fatal(String where, Throwable error);
    }

    private final Reactor reactor;
    private final Store store;
    private final ExecutorService workers;
    private final Draw draw;
    private final Lottery lottery;
    private final CentralLog log;
    private final FailStop failStop;
    /** The status view's port, which the reactor serves; null when the view is off. */
    private final Listener statusListener;
    /** Null until something asks it to stop; then the gravest stop asked. */
    private final AtomicReference<Stop> stop = new AtomicReference<>();

    private Central(Reactor reactor, Store store, ExecutorService workers, Draw draw, Lottery lottery, CentralLog log, FailStop failStop,
            Listener statusListener) {
        this.reactor = reactor;
        this.store = store;
        this.workers = workers;
        this.draw = draw;
        this.lottery = lottery;
        this.log = log;
        this.failStop = failStop;
        this.statusListener = statusListener;
    }

    /** Opens the store (recovering an earlier run's), starts the workers and binds the port. */
    public static Central open(ServerConfig config, CentralLog log, FailStop failStop) throws IOException {
        return open(config, log, failStop, defaultStores());
    }

    /** The store on the real file system. */
    public static StoreOpener defaultStores() {
        return Store::open;
    }

    /** How the store is opened: tests put one with failing files in. */
    @FunctionalInterface
    public interface StoreOpener {
        Store open(Path directory, StoreEvents events, ExecutorService workers, Store.Listener listener, BetWatch watch) throws IOException;
    }

    public static Central open(ServerConfig config, CentralLog log, FailStop failStop, StoreOpener stores) throws IOException {
        return open(config, log, failStop, stores, Lottery.IN_FLIGHT_BYTES);
    }

    /** With at most {@code inFlightBytes} of batches on their way to disk: tests make it small. */
    public static Central open(ServerConfig config, CentralLog log, FailStop failStop, StoreOpener stores, long inFlightBytes) throws IOException {
        InetSocketAddress address = new InetSocketAddress(InetAddress.getByName(config.ip()), config.port());
        ExecutorService workers = workers(config.workers(), failStop);
        Central[] self = new Central[1];
        long descriptors = descriptorLimit();
        Limits limits = config.limits().cappedBy(descriptors);
        CentralEvents events = log;
        Listener statusListener = null;
        CentralStatus status = null;
        Store store = null;
        try {
            if (config.status().isPresent()) { // bound first: a port it cannot have stops the start before the store is touched
                status = new CentralStatus(config.agencies(), inFlightBytes, limits.maxConnections());
                statusListener = listenStatus(config.status().get(), log);
                events = FanOut.of(log, status);
            }
            RunningTally running = new RunningTally(config.storeDirectory());
            store = stores.open(config.storeDirectory(), events, workers, error -> self[0].stop(Stop.STORE_FAILURE), running);
            log.limits(limits.maxConnections(), limits.maxConnectionsPerIp(), descriptors);
            if (!config.keys().configured()) {
                log.noKeys();
            }
            Reactor reactor = Reactor.open(address, config.listenBacklog(), limits, events);
            reactor.whenIdle(new HeapRelease(HeapRelease.JVM, workers, log, System::nanoTime)::idle);
            if (statusListener != null) {
                reactor.serve(statusListener, StatusSession.MAX_CONNECTIONS, statusEvents(log), StatusSession.sessions(status));
            }
            Store bets = store;
            Draw draw = new Draw(config.agencies(), store.doneAgencies(),
                    new StoredBets(store.betsFile(), store.recoveredGroups(), running, workers, config.workers(), bets::storedBets),
                    workers, reactor::execute, events, () -> self[0].stop(Stop.DRAW_FAILURE), damage -> self[0].storeDamaged(damage, config.storeDirectory()));
            self[0] = new Central(reactor, store, workers, draw, new Lottery(store, draw, config.keys(), events, inFlightBytes), log, failStop,
                    statusListener);
            return self[0];
        } catch (IOException | RuntimeException e) {
            workers.shutdownNow();
            if (store != null) {
                store.close();
            }
            if (statusListener != null) {
                try {
                    statusListener.close();
                } catch (IOException ignored) {
                    // the start failed already: that is what to report
                }
            }
            throw e;
        }
    }

    /**
     * Binds the status view's port; a port it cannot have stops the start, as the lottery's would.
     * The reactor answers on it once it runs, after the store's recovery: requests made meanwhile
     * wait in the accept queue.
     */
    private static Listener listenStatus(ServerConfig.StatusPort port, CentralLog log) throws IOException {
        Listener listener;
        try {
            listener = Listener.bind(new InetSocketAddress(InetAddress.getByName(port.ip()), port.port()), StatusSession.MAX_CONNECTIONS);
        } catch (IOException e) {
            throw new IOException("the status view cannot listen on " + port.ip() + ":" + port.port() + ": " + e.getMessage(), e);
        }
        log.statusListening(listener.address().getAddress().getHostAddress() + ":" + listener.address().getPort());
        return listener;
    }

    /** What the status view's connections tell: only a bug met serving one. They are not the lottery's, counted or logged as its are. */
    private static ReactorEvents statusEvents(CentralLog log) {
        return new ReactorEvents() {
            @Override
            public void unexpected(String ip, RuntimeException error) {
                log.unexpected(ip, error);
            }
        };
    }

    public InetSocketAddress address() throws IOException {
        return reactor.address();
    }

    /** Where the status view listens; empty when it is off. */
    public Optional<InetSocketAddress> statusAddress() {
        return statusListener == null ? Optional.empty() : Optional.of(statusListener.address());
    }

    /** Serves until {@link #stop}, then shuts down gracefully. Returns the exit code of the gravest {@link Stop} asked. */
    public int run() throws IOException {
        try {
            draw.start();
            reactor.run(lottery);
        } catch (Throwable t) { // a selector that fails, a bug or an Error: nobody is served any more
            failStop.fatal("reactor", t);
            throw t;
        }
        stop.get().started(log);
        shutdown();
        Stop why = stop.get(); // a failure while shutting down (the store forcing what was received) is graver
        why.ended(log);
        return why.exitCode();
    }

    /** Asks {@link #run} to wind down, {@code by} a signal or the code that embeds it; safe from any thread, a signal handler's included. */
    public void stop(String by) {
        stop(Stop.requested(by));
    }

    /** Any thread: the journal's when the store failed, a worker's when the draw did. */
    private void stop(Stop why) {
        stop.accumulateAndGet(why, (earlier, later) -> earlier == null ? later : earlier.graver(later));
        reactor.stop();
    }

    /**
     * On the tally's thread: the rows are damaged. It is recorded in the store, so that every
     * start refuses until a repair (never a loop of restarts that draw again), and the central
     * stops as after a store failure.
     */
    private void storeDamaged(Damaged damage, Path directory) {
        log.drawDamaged(damage.getMessage(), Repair.command(directory));
        try {
            store.markDamaged(damage.getMessage());
        } catch (IOException e) {
            log.storeFailed("the damage could not be recorded in the store, the next start may draw again: " + e);
        }
        stop(Stop.STORE_DAMAGE);
    }

    /**
     * Stops accepting, lets the workers and the journal finish and force what was already
     * received, hands the replies they produced to their connections, then closes everything.
     */
    private void shutdown() {
        close("listening_socket", reactor::closeListener);
        // Batches already received are still encoded and committed. Workers are never
        // interrupted: an interrupt would close a file under them.
        workers.shutdown();
        try {
            if (!workers.awaitTermination(DRAIN_MILLIS, TimeUnit.MILLISECONDS)) {
                draw.cancel(); // a long tally is abandoned; it reruns at the next start
                workers.awaitTermination(CANCEL_MILLIS, TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        store.drain();
        reactor.runPendingTasks();
        reactor.closeConnections();
        try {
            draw.close();
        } catch (IOException e) {
            // the winners file was only being read: nothing of it is lost, and the next start writes it anew
        }
        log.closed("workers");
        close("store", store::close);
        close("selector", reactor::closeSelector);
        if (statusListener != null) {
            close("status_server", statusListener::close);
        }
    }

    /** One resource shutdown closes, and logs. */
    private interface Closer {
        void close() throws IOException;
    }

    private void close(String resource, Closer closer) {
        try {
            closer.close();
            log.closed(resource);
        } catch (IOException e) {
            log.closeFailed(resource, e.toString());
        }
    }

    /**
     * Workers whose unexpected throwables stop the process: a worker that died would strand what it
     * held. Daemons, so that they never keep alive a process whose main thread is gone: shutdown
     * waits for them itself (a bounded wait), and an error that escapes the fail-stop path (an
     * exhausted heap can fail it) still ends the process.
     */
    private static ExecutorService workers(int count, FailStop failStop) {
        AtomicInteger n = new AtomicInteger();
        return new ThreadPoolExecutor(count, count, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), runnable -> {
            Thread t = new Thread(runnable, "worker-" + n.incrementAndGet());
            t.setDaemon(true);
            t.setUncaughtExceptionHandler((thread, e) -> failStop.fatal(thread.getName(), e));
            return t;
        });
    }

    /** The most files this process may open, from /proc/self/limits; 0 when unknown. */
    static long descriptorLimit() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
                if (line.startsWith("Max open files")) {
                    String soft = line.substring("Max open files".length()).strip().split("\\s+")[0];
                    return soft.equals("unlimited") ? 0 : Long.parseLong(soft);
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: no cap from here
        }
        return 0;
    }
}
