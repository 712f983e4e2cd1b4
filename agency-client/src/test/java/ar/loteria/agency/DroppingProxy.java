package ar.loteria.agency;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback TCP proxy that cuts its first connection (or first {@code cuts}) once it has passed
 * {@code budget} bytes from the central to the agency: a reply lost on the way, after the
 * central acted on it.
 */
final class DroppingProxy implements AutoCloseable {
    private final ServerSocket listener;
    private final InetSocketAddress target;
    private final int budget;
    private final int cuts;
    private final AtomicInteger connections = new AtomicInteger();

    DroppingProxy(InetSocketAddress target, int budget) throws IOException {
        this(target, budget, 1);
    }

    DroppingProxy(InetSocketAddress target, int budget, int cuts) throws IOException {
        this.target = target;
        this.budget = budget;
        this.cuts = cuts;
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::accept, "proxy");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return listener.getLocalPort();
    }

    int connections() {
        return connections.get();
    }

    private void accept() {
        try {
            while (true) {
                Socket agency = listener.accept();
                Socket central = new Socket(target.getAddress(), target.getPort());
                boolean cut = connections.incrementAndGet() <= cuts;
                pipe(agency, central, Integer.MAX_VALUE);
                pipe(central, agency, cut ? budget : Integer.MAX_VALUE);
            }
        } catch (IOException e) {
            // closed
        }
    }

    private static void pipe(Socket from, Socket to, int budget) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[1];
            int passed = 0;
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                while (passed < budget && in.read(buf) > 0) { // byte by byte, so the cut is exact
                    out.write(buf);
                    passed++;
                }
            } catch (IOException e) {
                // one side is gone
            } finally {
                closeQuietly(from);
                closeQuietly(to);
            }
        });
        t.setDaemon(true);
        t.start();
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
    }
}
