package ar.loteria.central.reactor;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The one thread that does all socket I/O: a selector loop that accepts, reads and writes
 * without ever blocking, runs the tasks other threads hand it ({@link #execute}) and the timers
 * that are due ({@link #schedule}), all between two selects. It knows bytes, connections and
 * time (and, for its caps, which connections spoke or authenticated); what the bytes mean is the
 * sessions' business. Everything a connection owns is touched only here, so it needs no lock.
 * Accepting is the {@link Acceptor}'s, each connection's bytes its {@link Connection}'s, and
 * running their work (guarded, then what each turn owes them) the {@link Dispatch}'s.
 *
 * <p>A runtime exception met while serving one connection closes that connection. Anything else
 * thrown on this thread ends {@link #run} with it: the caller stops the process.
 */
public final class Reactor implements Executor {
    /** How long shutdown waits for peers to read their last word and close, before it closes on them. */
    private static final long SHUTDOWN_DRAIN_MILLIS = 500;

    private final Selector selector;
    /** The lottery's port. */
    private final Acceptor acceptor;
    /** Every port served, the lottery's first. */
    private final List<Acceptor> acceptors = new ArrayList<>();
    private final Limits limits;
    private final ReactorEvents events;
    private final InputBuffers buffers;
    private final OutputBudget output;
    private final Dispatch dispatch;
    private final Timers timers = new Timers();
    /** The connections a walk goes through, kept from walk to walk. */
    private Connection[] walked = new Connection[0];
    private final Inbox inbox;
    private volatile boolean stopRequested;
    private boolean stopping;
    private long now = System.nanoTime();

    private Reactor(Selector selector, Listener listener, Limits limits, ReactorEvents events, long inputBudget, long outputBudget)
            throws IOException {
        this.buffers = new InputBuffers(inputBudget);
        this.output = new OutputBudget(outputBudget, events);
        this.selector = selector;
        this.inbox = new Inbox(selector);
        this.dispatch = new Dispatch(events);
        this.limits = limits;
        this.events = events;
        this.acceptor = new Acceptor(this, selector, listener, limits, events);
        acceptors.add(acceptor);
    }

    /** Binds the listening socket, with the backlog really passed to {@code bind}. */
    public static Reactor open(InetSocketAddress address, int backlog, Limits limits, ReactorEvents events) throws IOException {
        return open(address, backlog, limits, events, Limits.memoryBudget(), Limits.outputBudget());
    }

    /** The same, with {@code inputBudget} bytes for the large input buffers lent at once and {@code outputBudget} for unsent replies. */
    static Reactor open(InetSocketAddress address, int backlog, Limits limits, ReactorEvents events, long inputBudget, long outputBudget)
            throws IOException {
        Selector selector = Selector.open();
        Listener listener = null;
        try {
            listener = Listener.bind(address, Math.max(backlog, Acceptor.LEAST_BACKLOG));
            return new Reactor(selector, listener, limits, events, inputBudget, outputBudget);
        } catch (IOException | RuntimeException e) {
            if (listener != null) {
                listener.close();
            }
            selector.close();
            throw e;
        }
    }

    /**
     * Serves {@code listener} too, once {@link #run} runs: each connection it accepts gets a
     * session from {@code sessions}, never the lottery's, and the lottery's never one of these.
     * Its connections have caps of their own, {@code maxConnections} in all and from any one
     * address (displacing as the lottery's do), count in neither of the lottery's and tell
     * {@code events}; the time limits and the buffers are the reactor's. Before {@link #run};
     * the listener stays its owner's to close.
     */
    public void serve(Listener listener, int maxConnections, ReactorEvents events, SessionFactory sessions) throws IOException {
        Acceptor other = new Acceptor(this, selector, listener, limits.withCaps(maxConnections, maxConnections), events);
        other.serve(sessions);
        acceptors.add(other);
    }

    /** Runs {@code task} on the reactor thread each time the last of the lottery's connections closes (not at a stop). Before {@link #run}. */
    public void whenIdle(Runnable task) {
        acceptor.whenIdle(task);
    }

    public InetSocketAddress address() throws IOException {
        return acceptor.address();
    }

    public Limits limits() {
        return limits;
    }

    /** Queues a task for the reactor thread; safe from any thread. One wakeup serves every task queued before the loop drains them. */
    @Override
    public void execute(Runnable task) {
        inbox.add(task);
    }

    /** Runs {@code task} on the reactor thread in {@code delayNanos}. Reactor thread only. */
    public void schedule(long delayNanos, Runnable task) {
        timers.schedule(delayNanos, task);
    }

    /** This turn's time, read once after each select. */
    public long now() {
        return now;
    }

    /** Asks the loop to stop; safe from any thread, a signal handler's included. */
    public void stop() {
        stopRequested = true;
        selector.wakeup();
    }

    // The loop.

    /** Runs the loop on the calling thread until {@link #stop}; each new connection gets a session from {@code sessions}. */
    public void run(SessionFactory sessions) throws IOException {
        acceptor.serve(sessions);
        events.listening(address().getAddress().getHostAddress() + ":" + address().getPort());
        sweepEvery(Deadlines.sweepInterval(limits));
        while (!stopRequested) {
            select(timers.waitMillis(), true);
            runTasks();
            runAll(() -> timers.nextDue(now));
            dispatch.flushDirty(now);
            resumeDrained();
        }
        stopping = true;
    }

    /** Waits up to {@code timeoutMillis} (0: for ever) and serves the keys that are ready; new connections only when {@code accepting}. */
    private void select(long timeoutMillis, boolean accepting) throws IOException {
        selector.select(timeoutMillis);
        now = System.nanoTime(); // before any callback, so that each sees this turn's time
        for (Iterator<SelectionKey> it = selector.selectedKeys().iterator(); it.hasNext(); ) {
            SelectionKey key = it.next();
            it.remove();
            if (key.attachment() instanceof Acceptor door) {
                if (accepting) {
                    door.accept();
                }
            } else {
                dispatch.ready((Connection) key.attachment(), key, now);
            }
        }
    }

    private void runTasks() {
        inbox.draining();
        runAll(inbox::next);
    }

    /** Runs the tasks {@code next} gives until it gives null, each followed by the input it resumed. */
    private void runAll(Supplier<Runnable> next) {
        for (Runnable task; (task = next.get()) != null; ) {
            task.run();
            dispatch.runResumed(now);
        }
    }

    /** The replies of all connections are back below the output budget's low water mark: those it shed are read again. */
    private void resumeDrained() {
        for (Connection c : output.drained()) {
            guarded(c, c::unshed);
        }
        dispatch.runResumed(now);
    }

    private void sweepEvery(long nanos) {
        schedule(nanos, () -> {
            sweep();
            sweepEvery(nanos);
        });
    }

    private void sweep() {
        forEachConnection(c -> dispatch.sweep(c, now, limits));
        events.swept(output.held()); // the output budget already counts every connection's replies
    }

    // What connections ask of the reactor.

    void guarded(Connection connection, Runnable task) {
        dispatch.guarded(connection, task);
    }

    void resume(Connection connection) {
        dispatch.resume(connection);
    }

    void dirty(Connection connection) {
        dispatch.dirty(connection);
    }

    /**
     * A large buffer came back: it is handed to the connection that waited longest for one among
     * those that may take it, so that it cannot be taken first by one that never waited.
     */
    void bufferReturned() {
        for (Connection c; (c = buffers.nextServed()) != null; ) {
            ByteBuffer buffer = buffers.large(c.standing(), c.address());
            Connection served = c;
            guarded(served, () -> served.fed(buffer));
        }
    }

    /** How many connections wait for a large input buffer. */
    int starvedCount() {
        return buffers.waitingCount();
    }

    InputBuffers buffers() {
        return buffers;
    }

    OutputBudget output() {
        return output;
    }

    boolean isStopping() {
        return stopping;
    }

    // Shutdown, in the order the central calls them once run() returned.

    /** Closes the lottery's port; the other ports served accept no more, and stay open until their owners close them. */
    public void closeListener() throws IOException {
        for (Acceptor other : acceptors.subList(1, acceptors.size())) {
            other.stopAccepting(); // else a connection waiting there would wake every select of the drain below
        }
        acceptor.close();
        // A registered channel really closes at the next select; until then the kernel would
        // still complete handshakes that nobody will ever serve.
        selector.selectNow(key -> { });
    }

    /** Runs what other threads handed over meanwhile (replies to batches just stored), and writes them. */
    public void runPendingTasks() {
        now = System.nanoTime();
        runTasks();
        dispatch.flushDirty(now);
    }

    /**
     * Closes every connection after its session's last word: each is written, our side shut and
     * the peer's last bytes drained for up to half a second, so that the peer reads the word and
     * not a reset (closing a socket with unread input resets it); then whatever is left is closed.
     */
    public void closeConnections() {
        now = System.nanoTime();
        forEachConnection(c -> guarded(c, c::shutdown));
        long deadline = now + TimeUnit.MILLISECONDS.toNanos(SHUTDOWN_DRAIN_MILLIS);
        try {
            while (open() > 0 && deadline - System.nanoTime() > 0) {
                select(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())), false);
                dispatch.flushDirty(now);
            }
        } catch (IOException e) {
            // the selector failed: close what is left at once
        }
        forEachConnection(c -> guarded(c, () -> c.close("shutdown")));
    }

    /**
     * Runs {@code visit} on every connection of every port, in order of arrival, over a copy:
     * closing one meanwhile is safe. The copy goes into one array kept from walk to walk: the sweep
     * walks ten thousand connections ten times a second, and a new copy each time would be garbage
     * enough for a collection every second or two.
     */
    private void forEachConnection(Consumer<Connection> visit) {
        for (Acceptor door : acceptors) {
            walked = door.connections(walked);
            for (int i = 0; i < walked.length && walked[i] != null; i++) {
                Connection c = walked[i];
                walked[i] = null; // no closed connection kept alive here until the next walk
                visit.accept(c);
            }
        }
    }

    private int open() {
        int open = 0;
        for (Acceptor door : acceptors) {
            open += door.size();
        }
        return open;
    }

    public void closeSelector() throws IOException {
        selector.close();
    }
}
