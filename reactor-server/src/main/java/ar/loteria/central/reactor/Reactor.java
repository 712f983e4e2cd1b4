package ar.loteria.central.reactor;

import ar.loteria.central.CentralLog;
import ar.loteria.wire.Frame;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * The one thread that does all socket I/O: a selector loop that accepts, reads and writes
 * without ever blocking, and runs the tasks other threads hand it ({@link #execute}) between
 * two selects. Everything a connection owns is touched only here, so it needs no lock.
 */
public final class Reactor implements Executor {
    private static final int ACCEPTS_PER_TURN = 64;
    private static final long ACCEPT_PAUSE_MILLIS = 100;

    private final Selector selector;
    private final ServerSocketChannel listener;
    private final SelectionKey acceptKey;
    private final Limits limits;
    private final CentralLog log;
    private final BufferPool buffers = new BufferPool(Connection.INPUT_BYTES, 1024);
    private final Set<Connection> connections = new HashSet<>();
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean wakeupPending = new AtomicBoolean();
    private volatile boolean stopRequested;
    private boolean stopping;
    private Function<Connection, Session> protocol;
    private long now = System.nanoTime();
    private long acceptPausedUntil;

    private Reactor(Selector selector, ServerSocketChannel listener, SelectionKey acceptKey, Limits limits, CentralLog log) {
        this.selector = selector;
        this.listener = listener;
        this.acceptKey = acceptKey;
        this.limits = limits;
        this.log = log;
    }

    /** Binds the listening socket, with the backlog really passed to {@code bind}. */
    public static Reactor open(InetSocketAddress address, int backlog, Limits limits, CentralLog log) throws IOException {
        Selector selector = Selector.open();
        ServerSocketChannel listener = ServerSocketChannel.open();
        try {
            listener.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            listener.bind(address, backlog);
            listener.configureBlocking(false);
            SelectionKey acceptKey = listener.register(selector, SelectionKey.OP_ACCEPT);
            return new Reactor(selector, listener, acceptKey, limits, log);
        } catch (IOException e) {
            listener.close();
            selector.close();
            throw e;
        }
    }

    public InetSocketAddress address() throws IOException {
        return (InetSocketAddress) listener.getLocalAddress();
    }

    /**
     * Runs the loop on the calling thread until {@link #stop}. New connections speak the
     * protocol when their first byte starts a frame ({@code protocol} makes their session), and
     * are echo sessions otherwise.
     */
    public void run(Function<Connection, Session> protocol) throws IOException {
        this.protocol = protocol;
        log.listening(address().getAddress().getHostAddress() + ":" + address().getPort());
        long sweepNanos = Math.max(TimeUnit.MILLISECONDS.toNanos(10), Math.min(TimeUnit.SECONDS.toNanos(1), limits.idleTimeout().toNanos() / 4));
        long nextSweep = System.nanoTime() + sweepNanos;
        while (!stopRequested) {
            long timeoutMillis = Math.max(1, TimeUnit.NANOSECONDS.toMillis(nextSweep - System.nanoTime()));
            selector.select(this::onReady, timeoutMillis);
            now = System.nanoTime();
            runTasks();
            if (now - nextSweep >= 0) {
                sweep();
                nextSweep = now + sweepNanos;
            }
        }
        stopping = true;
    }

    /** Asks the loop to stop; safe from any thread, a signal handler's included. */
    public void stop() {
        stopRequested = true;
        selector.wakeup();
    }

    /** Queues a task for the reactor thread; safe from any thread. */
    @Override
    public void execute(Runnable task) {
        tasks.add(task);
        if (wakeupPending.compareAndSet(false, true)) {
            selector.wakeup();
        }
    }

    private void runTasks() {
        wakeupPending.set(false); // before draining, so a task queued from now on wakes the next select
        for (Runnable task; (task = tasks.poll()) != null; ) {
            try {
                task.run();
            } catch (RuntimeException e) {
                log.unexpected("task", e);
            }
        }
    }

    private void onReady(SelectionKey key) {
        if (key == acceptKey) {
            accept();
            return;
        }
        Connection connection = (Connection) key.attachment();
        try {
            if (key.isValid() && key.isReadable()) {
                connection.onReadable(now);
            }
            if (key.isValid() && key.isWritable()) {
                connection.onWritable();
            }
        } catch (RuntimeException e) {
            // A bug met by one connection must not take the others down with the reactor.
            log.unexpected("connection " + connection.ip(), e);
            connection.close("unexpected " + e);
        }
    }

    private void accept() {
        for (int i = 0; i < ACCEPTS_PER_TURN; i++) {
            SocketChannel channel;
            try {
                channel = listener.accept();
            } catch (IOException e) {
                // Most likely out of file descriptors: pause accepting instead of spinning on it.
                acceptKey.interestOps(0);
                acceptPausedUntil = now + TimeUnit.MILLISECONDS.toNanos(ACCEPT_PAUSE_MILLIS);
                log.acceptPaused(e.toString(), ACCEPT_PAUSE_MILLIS);
                return;
            }
            if (channel == null) {
                return;
            }
            String ip = ipOf(channel);
            if (connections.size() >= limits.maxConnections()) {
                log.refused(ip, limits.maxConnections());
                closeQuietly(channel);
                continue;
            }
            try {
                channel.configureBlocking(false);
                channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                SelectionKey key = channel.register(selector, SelectionKey.OP_READ);
                Connection connection = new Connection(this, channel, key, ip, now);
                key.attach(connection);
                connections.add(connection);
                log.accepted(ip);
            } catch (IOException e) {
                closeQuietly(channel);
            }
        }
    }

    private void sweep() {
        if (acceptPausedUntil != 0 && now - acceptPausedUntil >= 0) {
            acceptPausedUntil = 0;
            acceptKey.interestOps(SelectionKey.OP_ACCEPT);
        }
        long idle = limits.idleTimeout().toNanos();
        long linger = Limits.LINGER.toNanos();
        for (Connection c : new ArrayList<>(connections)) {
            c.sweep(now, idle, linger);
        }
    }

    Session newSession(Connection connection, byte firstByte) {
        return Frame.isFrameStart(firstByte) ? protocol.apply(connection) : new EchoSession(log);
    }

    void forget(Connection connection, String reason) {
        connections.remove(connection);
        if (!stopping) {
            log.connectionClosed(connection.ip(), reason);
        }
    }

    BufferPool buffers() {
        return buffers;
    }

    long now() {
        return now;
    }

    boolean isStopping() {
        return stopping;
    }

    // Shutdown, in the order the central calls them once run() returned.

    public void closeListener() throws IOException {
        acceptKey.cancel();
        listener.close();
        // A registered channel really closes at the next select; until then the kernel would
        // still complete handshakes that nobody will ever serve.
        selector.selectNow(key -> { });
    }

    /** Runs what workers handed back meanwhile: replies to the batches they just committed. */
    public void runPendingTasks() {
        now = System.nanoTime();
        runTasks();
    }

    /** Closes every connection, after its session's last word and one non-blocking try to write what it is owed. */
    public void closeConnections() {
        for (Connection c : new ArrayList<>(connections)) {
            c.shuttingDown();
            c.flushNow();
            log.closedConnection(c.ip(), c.agency());
            c.close("shutdown");
        }
    }

    public void closeSelector() throws IOException {
        selector.close();
    }

    private static String ipOf(SocketChannel channel) {
        try {
            return ((InetSocketAddress) channel.getRemoteAddress()).getAddress().getHostAddress();
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    private static void closeQuietly(SocketChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // refused anyway
        }
    }
}
