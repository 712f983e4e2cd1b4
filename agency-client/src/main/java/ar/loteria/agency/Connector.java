package ar.loteria.agency;

import java.io.IOException;
import jdk.net.ExtendedSocketOptions;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;

/**
 * Connects to the central, trying again with a doubling wait: compose starts every container
 * at once, so the central may not listen yet. Each failed try is in_progress, not fail: a
 * retry that later succeeds is no failure.
 */
final class Connector {
    /** Every try failed; already logged. */
    static final class Unreachable extends IOException {
        private static final long serialVersionUID = 1L;

        Unreachable(IOException last) {
            super("central unreachable", last);
        }
    }

    private static final Duration MAX_BACKOFF = Duration.ofSeconds(2);
    private static final int CONNECT_TIMEOUT_MILLIS = 5_000;

    private final String host;
    private final int port;
    private final int tries;
    private final Duration backoff;
    private final AgencyLog log;
    private final Stop stop;

    Connector(AgencyConfig config, AgencyLog log, Stop stop) {
        this.host = config.host();
        this.port = config.port();
        this.tries = config.connectTries();
        this.backoff = config.connectBackoff();
        this.log = log;
        this.stop = stop;
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

    /** A connected socket, or an exception once every try failed (already logged). */
    Socket connect() throws IOException, Stop.Stopped {
        Duration wait = backoff;
        IOException last = null;
        for (int attempt = 1; attempt <= tries; attempt++) {
            stop.check();
            Socket socket = new Socket();
            stop.watch(socket);
            try {
                socket.connect(new InetSocketAddress(host, port), CONNECT_TIMEOUT_MILLIS);
                socket.setTcpNoDelay(true);
                keepAlive(socket);
                log.connected(host + ":" + port);
                return socket;
            } catch (IOException e) {
                socket.close();
                stop.check();
                last = e;
                log.connectRetry(attempt, tries, e.toString());
                if (attempt < tries) {
                    stop.sleep(wait);
                    wait = wait.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : wait.multipliedBy(2);
                }
            }
        }
        log.connectFailed(tries, String.valueOf(last));
        throw new Unreachable(last);
    }
}
