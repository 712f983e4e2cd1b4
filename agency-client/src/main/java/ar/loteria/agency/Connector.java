package ar.loteria.agency;

import java.io.IOException;
import jdk.net.ExtendedSocketOptions;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Random;

/**
 * Connects to the central, and decides when to try again after a failure ({@link Retries}):
 * compose starts every container at once, so the central may not listen yet; it may be
 * restarting; it may close new connections at its caps. A failed try is in_progress, not fail:
 * a retry that later succeeds is no failure.
 */
final class Connector {
    /** The agency gave up: connect.deadline passed without the central acknowledging anything; already logged. */
    static final class Unreachable extends IOException {
        private static final long serialVersionUID = 1L;

        Unreachable(IOException last) {
            super("central unreachable", last);
        }
    }

    private static final int CONNECT_TIMEOUT_MILLIS = 5_000;

    private final String host;
    private final int port;
    private final AgencyLog log;
    private final Stop stop;
    private final Retries retries;

    Connector(AgencyConfig config, AgencyLog log, Stop stop) {
        this.host = config.host();
        this.port = config.port();
        this.log = log;
        this.stop = stop;
        this.retries = new Retries(new Backoff(config.connectBackoff(), Backoff.CAP, new Random()), config.connectDeadline(), log, stop,
                System::nanoTime);
    }

    /**
     * The winners query waits as long as the draw takes, with no reply timeout; keepalive probes
     * are what tell a central that vanished (a pulled cable, a dead host) from a slow draw.
     */
    private static void keepAlive(Socket socket) throws IOException {
        socket.setKeepAlive(true);
        if (socket.supportedOptions().contains(ExtendedSocketOptions.TCP_KEEPIDLE)) {
            socket.setOption(ExtendedSocketOptions.TCP_KEEPIDLE, 30);
            socket.setOption(ExtendedSocketOptions.TCP_KEEPINTERVAL, 10);
            socket.setOption(ExtendedSocketOptions.TCP_KEEPCOUNT, 3);
        }
    }

    /** A connected socket, or {@link Unreachable} once connect.deadline passed (already logged). */
    Socket connect() throws IOException, Stop.Stopped {
        while (true) {
            stop.check();
            Socket socket = new Socket();
            stop.watch(socket);
            try {
                socket.connect(new InetSocketAddress(host, port), CONNECT_TIMEOUT_MILLIS);
                socket.setTcpNoDelay(true);
                keepAlive(socket);
                if (!retries.failing()) { // in a flood, a line per try; a WELCOME's line says the agency got back in
                    log.connected(host + ":" + port);
                }
                return socket;
            } catch (IOException e) {
                socket.close();
                stop.check();
                if (!retries.awaitNext(e)) {
                    throw new Unreachable(e);
                }
            }
        }
    }

    /**
     * A connection was closed, refused or timed out after {@link #connect} made it: waits before
     * the next try and returns true, or returns false once connect.deadline passed (logged).
     */
    boolean retryAfter(IOException lost) throws Stop.Stopped {
        return retries.awaitNext(lost);
    }

    /** The central acknowledged something new (a WELCOME, a stored batch): the deadline and the waits start over. */
    void progressed() {
        retries.progressed();
    }
}
