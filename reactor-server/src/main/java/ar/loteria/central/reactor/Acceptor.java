package ar.loteria.central.reactor;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.concurrent.TimeUnit;

/**
 * One listening socket's side of the reactor: it takes the newcomers, admits each one against the
 * caps of its own {@link Roster} (room, a connection displaced first, or a refusal), gives it a
 * {@link Connection} and a session of its own {@link SessionFactory}, and keeps the roll of the
 * connections it accepted, which tell it when they speak, prove who they are or close. The
 * reactor has one for the lottery's port and one for each other port it serves: their
 * connections never meet in a roster, nor get each other's sessions. Reactor thread only.
 */
final class Acceptor {
    private static final int ACCEPTS_PER_TURN = 64;
    private static final long ACCEPT_PAUSE_MILLIS = 100;
    /**
     * The shortest accept queue asked of the kernel for the lottery's port (which caps it at
     * net.core.somaxconn): a flood's connects come in bursts, and past a full queue the kernel
     * drops every SYN, an agency's too, which then waits 1 s, 3 s, 7 s to try again (measured under the total-cap
     * flood with a queue of 64: one connect in seven took a second or more, up to 7 s).
     */
    static final int LEAST_BACKLOG = 4096;

    private final Reactor reactor;
    private final Listener listener;
    private final SelectionKey key;
    private final Roster roster;
    private final ReactorEvents events;
    private SessionFactory sessions;
    private Runnable whenIdle = () -> { };
    private boolean paused;

    /**
     * Registers {@code listener} with the reactor's selector; its connections are held to the
     * connection caps of {@code caps} (the time limits are the reactor's) and tell {@code events}.
     */
    Acceptor(Reactor reactor, Selector selector, Listener listener, Limits caps, ReactorEvents events) throws IOException {
        this.reactor = reactor;
        this.listener = listener;
        this.roster = new Roster(caps);
        this.events = events;
        this.key = listener.channel().register(selector, SelectionKey.OP_ACCEPT, this);
    }

    InetSocketAddress address() {
        return listener.address();
    }

    /** Each connection accepted from now on gets a session from {@code sessions}. */
    void serve(SessionFactory sessions) {
        this.sessions = sessions;
    }

    /** Runs {@code task} each time the last of its connections closes. */
    void whenIdle(Runnable task) {
        this.whenIdle = task;
    }

    /** Takes the newcomers waiting, up to a turn's worth so that the connections already open are served too. */
    void accept() {
        for (int i = 0; i < ACCEPTS_PER_TURN; i++) {
            SocketChannel channel;
            try {
                channel = listener.channel().accept();
            } catch (IOException e) {
                // Most likely out of file descriptors: pause accepting instead of spinning on it.
                key.interestOps(0);
                paused = true;
                reactor.schedule(TimeUnit.MILLISECONDS.toNanos(ACCEPT_PAUSE_MILLIS), this::resume);
                events.acceptPaused(e.toString(), ACCEPT_PAUSE_MILLIS);
                return;
            }
            if (channel == null) {
                return;
            }
            admit(channel);
        }
    }

    /** A newcomer gets a place, or waits in the lobby if a cap is reached (pushing out the lobby's oldest if full). */
    private void admit(SocketChannel channel) {
        InetAddress address = addressOf(channel);
        String ip = address == null ? "unknown" : address.getHostAddress();
        Roster.Waiting waiting = roster.arrive(address, reactor.now());
        if (waiting != null && waiting.pushedOut() != null) {
            displace(waiting.pushedOut(), "pushed out of the lobby", ip, waiting.cap());
        }
        register(channel, address, waiting != null);
    }

    /** Opens a session for the new connection; anything that goes wrong closes that socket, never the central. */
    private void register(SocketChannel channel, InetAddress address, boolean waits) {
        Connection connection = null;
        try {
            channel.configureBlocking(false);
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            SelectionKey connectionKey = channel.register(key.selector(), SelectionKey.OP_READ);
            connection = new Connection(reactor, this, channel, connectionKey, address, reactor.now());
            connectionKey.attach(connection);
            if (waits) {
                roster.addWaiting(connection);
            } else {
                roster.add(connection);
            }
            connection.attach(sessions.open(connection));
            events.accepted(connection.ip());
        } catch (IOException | RuntimeException e) {
            if (e instanceof RuntimeException bug) {
                events.unexpected(address == null ? "unknown" : address.getHostAddress(), bug);
            }
            if (connection != null) {
                connection.close("could not open a session: " + e);
            }
            closeQuietly(channel);
        }
    }

    private void resume() {
        if (paused && key.isValid()) {
            paused = false;
            key.interestOps(SelectionKey.OP_ACCEPT);
        }
    }

    /** Accepts no more; the socket really closes at the selector's next select. */
    void close() throws IOException {
        key.cancel();
        listener.close();
    }

    /** Accepts no more, and leaves the socket to its owner. */
    void stopAccepting() {
        key.cancel();
    }

    // The connections it accepted.

    /** Closed: out of the roll, and told unless the reactor is stopping. */
    void forget(Connection connection, String reason) {
        roster.remove(connection);
        if (!reactor.isStopping()) {
            events.closed(connection.ip(), reason);
            if (roster.size() == 0) {
                whenIdle.run();
            }
        }
    }

    /**
     * The connection's first bytes came. One that waited in the lobby asks for its place now: it
     * gets one, maybe displacing someone, or it is refused and closed before its bytes are read.
     */
    void spoke(Connection connection) {
        if (reactor.isStopping()) {
            return; // its last word is on its way: no place to ask for, nobody to displace
        }
        Roster.Verdict verdict = roster.spoke(connection, reactor.now());
        if (verdict == null || verdict.cap() == null) {
            return;
        }
        String ip = connection.ip();
        if (verdict.refused()) {
            events.refused(ip, verdict.cap());
            connection.reset(verdict.cap() + " reached");
            return;
        }
        displace(verdict.displaced(), "displaced", ip, verdict.cap());
    }

    /** Resets {@code gone} to make room for a newcomer from {@code ip}, {@code cap} reached; {@code how} it went, for its close. */
    private void displace(Connection gone, String how, String ip, String cap) {
        events.displaced(gone.ip(), ip, cap);
        reactor.guarded(gone, () -> gone.reset(how + " by a newcomer from " + ip + ": " + cap + " reached"));
    }

    void authenticated(Connection connection) {
        roster.authenticated(connection);
    }

    /** A stranger held unread: the first to go for a newcomer. */
    void held(Connection connection) {
        roster.held(connection);
    }

    /** Its connections, in order of arrival, into {@code into} if it has room (then followed by a null), else into a new array. */
    Connection[] connections(Connection[] into) {
        return roster.snapshot(into);
    }

    int size() {
        return roster.size();
    }

    private static InetAddress addressOf(SocketChannel channel) {
        try {
            return ((InetSocketAddress) channel.getRemoteAddress()).getAddress();
        } catch (IOException | RuntimeException e) {
            return null;
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
