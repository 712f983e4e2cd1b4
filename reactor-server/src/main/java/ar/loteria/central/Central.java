package ar.loteria.central;

import ar.loteria.central.lottery.Draw;
import ar.loteria.central.lottery.Lottery;
import ar.loteria.central.reactor.Limits;
import ar.loteria.central.reactor.Reactor;
import ar.loteria.central.store.Store;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The lottery central put together: the store, the worker pool, the reactor and the draw.
 * {@link #run} serves on the calling thread, which becomes the reactor thread, until
 * {@link #stop}; then it shuts everything down in order, logging each resource it closes.
 */
public final class Central {
    /** How long shutdown waits for workers to finish the batches already received. */
    private static final long DRAIN_MILLIS = 500;
    /** How long it then waits for a draw in progress to notice it is cancelled. */
    private static final long CANCEL_MILLIS = 200;

    private final Reactor reactor;
    private final Store store;
    private final ExecutorService workers;
    private final Lottery lottery;
    private final CentralLog log;
    private volatile String stopSignal;

    private Central(Reactor reactor, Store store, ExecutorService workers, Lottery lottery, CentralLog log) {
        this.reactor = reactor;
        this.store = store;
        this.workers = workers;
        this.lottery = lottery;
        this.log = log;
    }

    /** Opens the store (recovering an earlier run's), starts the workers and binds the port. */
    public static Central open(ServerConfig config, CentralLog log) throws IOException {
        InetSocketAddress address = new InetSocketAddress(InetAddress.getByName(config.ip()), config.port());
        ExecutorService workers = Executors.newFixedThreadPool(config.workers(), named("worker"));
        Store store = null;
        try {
            store = Store.open(config.storeDirectory(), log, workers);
            Reactor reactor = Reactor.open(address, config.listenBacklog(), new Limits(config.maxConnections(), config.idleTimeout()), log);
            Draw draw = new Draw(config.agencies(), store.doneAgencies(), store, workers, reactor, log);
            return new Central(reactor, store, workers, new Lottery(store, draw, log), log);
        } catch (IOException | RuntimeException e) {
            workers.shutdownNow();
            if (store != null) {
                store.close();
            }
            throw e;
        }
    }

    public InetSocketAddress address() throws IOException {
        return reactor.address();
    }

    /** Serves until {@link #stop}, then shuts down gracefully. */
    public void run() throws IOException {
        lottery.draw().start();
        reactor.run(lottery::newSession);
        shutdown();
    }

    /** Asks {@link #run} to wind down; safe from any thread, a signal handler's included. */
    public void stop(String signal) {
        stopSignal = signal;
        reactor.stop();
    }

    /**
     * Stops accepting, lets the workers finish and force what was already received, hands the
     * replies they produced to their connections, then closes everything.
     */
    private void shutdown() {
        log.shutdownStarted(stopSignal == null ? "stop" : stopSignal);
        close("listening_socket", reactor::closeListener);
        // Queued group commits still run, so received batches are forced. Workers are never
        // interrupted: an interrupt would close a file under a commit.
        workers.shutdown();
        try {
            if (!workers.awaitTermination(DRAIN_MILLIS, TimeUnit.MILLISECONDS)) {
                lottery.draw().cancel(); // a long draw is abandoned; it reruns at the next start
                workers.awaitTermination(CANCEL_MILLIS, TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        reactor.runPendingTasks();
        reactor.closeConnections();
        log.closed("workers");
        close("store", store::close);
        close("selector", reactor::closeSelector);
        log.shutdownDone();
    }

    private interface Closing {
        void close() throws IOException;
    }

    private void close(String resource, Closing closing) {
        try {
            closing.close();
            log.closed(resource);
        } catch (IOException e) {
            log.closeFailed(resource, e.toString());
        }
    }

    private static ThreadFactory named(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> new Thread(runnable, prefix + "-" + count.incrementAndGet());
    }
}
