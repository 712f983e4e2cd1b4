package ar.loteria.central.reactor;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * The one thread that does all socket I/O: a selector loop that accepts, reads and writes
 * without ever blocking, runs the tasks other threads hand it ({@link #execute}) and the timers
 * that are due ({@link #schedule}), all between two selects. It knows bytes, connections and
 * time (and, for its caps, which connections spoke or authenticated); what the bytes mean is the
 * sessions' business. Everything a connection owns is touched
 * only here, so it needs no lock.
 *
 * <p>A runtime exception met while serving one connection closes that connection. Anything else
 * thrown on this thread ends {@link #run} with it: the caller stops the process.
 */
public final class Reactor implements Executor {
    /** How long shutdown waits for peers to read their last word and close, before it closes on them. */
    private static final long SHUTDOWN_DRAIN_MILLIS = 500;

    private final Selector selector;
    private final Acceptor acceptor;
    private final Limits limits;
    private final ReactorEvents events;
    private final InputBuffers buffers;
    private final OutputBudget output;
    private final Roster roster;
    private final ArrayDeque<Connection> dirty = new ArrayDeque<>();
    private final ArrayDeque<Connection> resumed = new ArrayDeque<>();
    private final Timers timers = new Timers();
    private final Inbox inbox;
    private volatile boolean stopRequested;
    private boolean stopping;
    private long now = System.nanoTime();

    private Reactor(Selector selector, ServerSocketChannel listener, Limits limits, ReactorEvents events, long inputBudget, long outputBudget) {
        this.buffers = new InputBuffers(inputBudget);
        this.output = new OutputBudget(outputBudget, events);
        this.roster = new Roster(limits);
        this.selector = selector;
        this.inbox = new Inbox(selector);
        this.acceptor = Acceptor.of(this, selector, listener, roster, events);
        this.limits = limits;
        this.events = events;
    }

    /** Binds the listening socket, with the backlog really passed to {@code bind}. */
    public static Reactor open(InetSocketAddress address, int backlog, Limits limits, ReactorEvents events) throws IOException {
        return open(address, backlog, limits, events, Limits.memoryBudget(), Limits.outputBudget());
    }

    /** The same, with {@code inputBudget} bytes for the large input buffers lent at once and {@code outputBudget} for unsent replies. */
    static Reactor open(InetSocketAddress address, int backlog, Limits limits, ReactorEvents events, long inputBudget, long outputBudget)
            throws IOException {
        Selector selector = Selector.open();
        try {
            return new Reactor(selector, Acceptor.listen(selector, address, backlog), limits, events, inputBudget, outputBudget);
        } catch (IOException e) {
            selector.close();
            throw e;
        }
    }

    public InetSocketAddress address() throws IOException {
        return acceptor.address();
    }

    public Limits limits() {
        return limits;
    }

    /** Runs the loop on the calling thread until {@link #stop}; each new connection gets a session from {@code sessions}. */
    public void run(SessionFactory sessions) throws IOException {
        acceptor.serve(sessions);
        events.listening(address().getAddress().getHostAddress() + ":" + address().getPort());
        long sweepNanos = Deadlines.sweepInterval(limits);
        schedule(sweepNanos, new Runnable() {
            @Override
            public void run() {
                sweep();
                schedule(sweepNanos, this);
            }
        });
        while (!stopRequested) {
            selector.select(timers.waitMillis());
            now = System.nanoTime(); // before any callback, so that each sees this turn's time
            for (Iterator<SelectionKey> it = selector.selectedKeys().iterator(); it.hasNext(); ) {
                SelectionKey key = it.next();
                it.remove();
                onReady(key);
            }
            runTasks();
            runTimers();
            flushDirty();
            resumeDrained();
        }
        stopping = true;
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

    /** The replies of all connections are back below the output budget's low water mark: those it shed are read again. */
    private void resumeDrained() {
        for (Connection c : output.drained()) {
            guarded(c, c::unshed);
        }
        runResumed();
    }

    /** Asks the loop to stop; safe from any thread, a signal handler's included. */
    public void stop() {
        stopRequested = true;
        selector.wakeup();
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

    public long now() {
        return now;
    }

    private void runTasks() {
        inbox.draining();
        for (Runnable task; (task = inbox.next()) != null; ) {
            task.run();
            runResumed();
        }
    }

    private void runTimers() {
        for (Runnable task; (task = timers.nextDue(now)) != null; ) {
            task.run();
            runResumed();
        }
    }

    /** Runs {@code task} for {@code connection}: a runtime exception in it closes the connection and nothing else. */
    void guarded(Connection connection, Runnable task) {
        try {
            task.run();
        } catch (RuntimeException e) {
            events.unexpected(connection.ip(), e);
            connection.close("unexpected " + e);
        }
    }

    private void onReady(SelectionKey key) {
        if (acceptor.owns(key)) {
            acceptor.accept();
            return;
        }
        Connection connection = (Connection) key.attachment();
        guarded(connection, () -> {
            if (key.isValid() && key.isReadable()) {
                connection.onReadable(now);
            }
            if (key.isValid() && key.isWritable()) {
                connection.flush(now);
            }
        });
        runResumed();
    }

    void resume(Connection connection) {
        resumed.add(connection);
    }

    /** Hands their input back to the sessions that resumed it. */
    private void runResumed() {
        for (Connection c; (c = resumed.poll()) != null; ) {
            Connection connection = c;
            guarded(connection, () -> connection.processInput(now));
        }
    }

    void dirty(Connection connection) {
        dirty.add(connection);
    }

    /** Writes the replies of this turn: one write per connection, however many replies it got. */
    private void flushDirty() {
        for (Connection c; (c = dirty.poll()) != null; ) {
            Connection connection = c;
            guarded(connection, () -> connection.flush(now));
            runResumed();
        }
    }

    private void sweep() {
        for (Connection c : roster.snapshot()) {
            guarded(c, () -> c.sweep(now, limits));
        }
        events.swept(output.held()); // the output budget already counts every connection's replies
    }

    void forget(Connection connection, String reason) {
        roster.remove(connection);
        if (!stopping) {
            events.closed(connection.ip(), reason);
        }
    }

    /** The connection's first bytes came. */
    void spoke(Connection connection) {
        roster.spoke(connection);
    }

    void authenticated(Connection connection) {
        roster.authenticated(connection);
    }

    void refused(Connection connection) {
        roster.refused(connection);
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

    public void closeListener() throws IOException {
        acceptor.close();
        // A registered channel really closes at the next select; until then the kernel would
        // still complete handshakes that nobody will ever serve.
        selector.selectNow(key -> { });
    }

    /** Runs what other threads handed over meanwhile (replies to batches just stored), and writes them. */
    public void runPendingTasks() {
        now = System.nanoTime();
        runTasks();
        flushDirty();
    }

    /**
     * Closes every connection after its session's last word: each is written, our side shut and
     * the peer's last bytes drained for up to half a second, so that the peer reads the word and
     * not a reset (closing a socket with unread input resets it); then whatever is left is closed.
     */
    public void closeConnections() {
        now = System.nanoTime();
        for (Connection c : roster.snapshot()) {
            guarded(c, c::shutdown);
        }
        long deadline = now + TimeUnit.MILLISECONDS.toNanos(SHUTDOWN_DRAIN_MILLIS);
        try {
            while (roster.size() > 0 && deadline - System.nanoTime() > 0) {
                selector.select(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
                now = System.nanoTime();
                for (Iterator<SelectionKey> it = selector.selectedKeys().iterator(); it.hasNext(); ) {
                    SelectionKey key = it.next();
                    it.remove();
                    if (!acceptor.owns(key)) {
                        onReady(key);
                    }
                }
                flushDirty();
            }
        } catch (IOException e) {
            // the selector failed: close what is left at once
        }
        for (Connection c : roster.snapshot()) {
            guarded(c, () -> c.close("shutdown"));
        }
    }

    public void closeSelector() throws IOException {
        selector.close();
    }
}
