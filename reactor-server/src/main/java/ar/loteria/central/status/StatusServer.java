package ar.loteria.central.status;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The status view over HTTP, on a port of its own: {@code /metrics} (Prometheus' text format),
 * {@code /status} (JSON) and {@code /health} (200 while the reactor sweeps on time, else 503).
 * The JDK's HTTP server, its requests answered one at a time on one daemon thread, {@code status}.
 * Answering reads a {@link CentralStatus} snapshot: nothing here waits for the reactor.
 */
public final class StatusServer implements Closeable {
    public static final String THREAD = "status";
    private static final int BACKLOG = 16;
    private static final String TEXT = "text/plain; charset=utf-8";

    private final HttpServer server;
    private final ExecutorService thread;
    private final CentralStatus status;

    private StatusServer(HttpServer server, ExecutorService thread, CentralStatus status) {
        this.server = server;
        this.thread = thread;
        this.status = status;
    }

    /** Binds {@code address} and serves {@code status} from it. */
    public static StatusServer start(InetSocketAddress address, CentralStatus status) throws IOException {
        ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, THREAD);
            t.setDaemon(true);
            return t;
        });
        HttpServer server;
        try {
            server = HttpServer.create(address, BACKLOG);
        } catch (IOException | RuntimeException e) {
            thread.shutdownNow();
            throw e;
        }
        StatusServer view = new StatusServer(server, thread, status);
        server.createContext("/", view::answer);
        server.setExecutor(thread);
        try {
            // The server's dispatcher thread is as much a daemon as the thread that starts it: started
            // from ours, it never keeps alive a process whose main thread is gone.
            thread.submit(server::start).get();
        } catch (ExecutionException | InterruptedException e) {
            view.close();
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new IOException("the status view did not start: " + e, e);
        }
        return view;
    }

    public InetSocketAddress address() {
        return server.getAddress();
    }

    @Override
    public void close() {
        server.stop(0);
        thread.shutdownNow();
    }

    private void answer(HttpExchange exchange) throws IOException {
        try {
            String path = exchange.getRequestURI().getPath();
            String method = exchange.getRequestMethod();
            if (!path.equals("/metrics") && !path.equals("/status") && !path.equals("/health")) {
                reply(exchange, 404, TEXT, "no such page: /metrics, /status and /health are served\n");
            } else if (!method.equals("GET") && !method.equals("HEAD")) {
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                reply(exchange, 405, TEXT, "only GET and HEAD\n");
            } else {
                Snapshot s = status.snapshot();
                switch (path) {
                    case "/metrics" -> reply(exchange, 200, MetricsText.CONTENT_TYPE, MetricsText.of(s));
                    case "/status" -> reply(exchange, 200, StatusJson.CONTENT_TYPE, StatusJson.of(s));
                    default -> reply(exchange, s.healthy() ? 200 : 503, TEXT, s.healthy() ? "ok\n"
                            : s.sinceSweepMillis() < 0 ? "starting: the reactor has not swept yet\n"
                            : "the reactor has not swept for " + s.sinceSweepMillis() + " ms\n");
                }
            }
        } finally {
            exchange.close();
        }
    }

    private static void reply(HttpExchange exchange, int code, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        boolean head = exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(code, head ? -1 : bytes.length);
        if (!head) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }
}
