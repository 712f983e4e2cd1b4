package ar.loteria.central.status;

import ar.loteria.central.reactor.Connection;
import ar.loteria.central.reactor.Session;
import ar.loteria.central.reactor.SessionFactory;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * One request to the status view, served by the reactor on the view's own port: the request
 * head is read, one answer goes back and the connection closes. {@code /metrics} (Prometheus'
 * text format), {@code /status} (JSON) and {@code /health} (200 while the reactor sweeps on time,
 * else 503), to {@code GET} and {@code HEAD}; any other page is a 404, any other method a 405,
 * a head that does not parse a 400 and one longer than {@link #MAX_HEAD_BYTES} a 431.
 *
 * <p>Until its head is whole the peer is a stranger to the reactor: the handshake deadline cuts
 * off one that stalls, and it holds no more than a small input buffer. Once answered it is a
 * guest, so that it reads the answer and a close, not a reset. Answering reads a
 * {@link CentralStatus} snapshot, which waits for nothing.
 */
public final class StatusSession implements Session {
    /** Connections the view holds at once, from any one address or from all: past it, a newcomer waits in a lobby until it sends a byte, then the oldest silent or unanswered one makes room. */
    public static final int MAX_CONNECTIONS = 16;
    /** The reactor's small input buffer, all a stranger is lent: a head must fit in it. */
    static final int MAX_HEAD_BYTES = 512;
    private static final String TEXT = "text/plain; charset=utf-8";
    private static final int NOT_TEXT = -2;

    private final Connection connection;
    private final CentralStatus status;

    private StatusSession(Connection connection, CentralStatus status) {
        this.connection = connection;
        this.status = status;
    }

    /** The sessions of the view's port, each answering from {@code status}. */
    public static SessionFactory sessions(CentralStatus status) {
        return connection -> new StatusSession(connection, status);
    }

    @Override
    public void onInput(ByteBuffer input, boolean endOfInput) {
        if (!connection.isOpen()) {
            return;
        }
        int end = headEnd(input);
        if (end == NOT_TEXT) {
            input.position(input.limit());
            reply(400, "Bad Request", false, "", "not an HTTP request\n");
        } else if (end >= 0) {
            byte[] head = new byte[end - input.position()];
            input.get(head);
            input.position(input.limit()); // a body, if any, is not read
            answer(new String(head, StandardCharsets.ISO_8859_1));
        } else if (input.remaining() >= MAX_HEAD_BYTES) {
            input.position(input.limit());
            reply(431, "Request Header Fields Too Large", false, "", "the request head is longer than " + MAX_HEAD_BYTES + " bytes\n");
        } else if (endOfInput) {
            boolean cut = input.hasRemaining();
            input.position(input.limit());
            if (cut) {
                reply(400, "Bad Request", false, "", "the request ended before its head did\n");
            } else {
                connection.close("peer closed");
            }
        }
    }

    /**
     * Where the head at the start of {@code input} ends, past its empty line (CRLF or LF); -1 while
     * it is still arriving; {@link #NOT_TEXT} at a control byte no head holds (a lottery frame's,
     * say): refused at once, not at the handshake deadline.
     */
    private static int headEnd(ByteBuffer input) {
        for (int i = input.position(); i < input.limit(); i++) {
            byte b = input.get(i);
            if (b >= 0 && b < ' ' && b != '\r' && b != '\n' && b != '\t' || b == 0x7F) {
                return NOT_TEXT;
            }
            if (b == '\n') {
                int next = i + 1;
                if (next < input.limit() && input.get(next) == '\n') {
                    return next + 1;
                }
                if (next + 1 < input.limit() && input.get(next) == '\r' && input.get(next + 1) == '\n') {
                    return next + 2;
                }
            }
        }
        return -1;
    }

    private void answer(String head) {
        int lineEnd = head.indexOf('\n');
        String[] request = head.substring(0, lineEnd).strip().split(" ", -1);
        if (request.length != 3 || request[0].isEmpty() || !request[1].startsWith("/") || !request[2].startsWith("HTTP/")) {
            reply(400, "Bad Request", false, "", "not an HTTP request line\n");
            return;
        }
        String method = request[0];
        boolean onlyHead = method.equals("HEAD");
        String path = request[1].split("[?#]", 2)[0];
        if (!path.equals("/metrics") && !path.equals("/status") && !path.equals("/health")) {
            reply(404, "Not Found", onlyHead, "", "no such page: /metrics, /status and /health are served\n");
        } else if (!method.equals("GET") && !onlyHead) {
            reply(405, "Method Not Allowed", false, "Allow: GET, HEAD\r\n", "only GET and HEAD\n");
        } else {
            Snapshot s = status.snapshot();
            switch (path) {
                case "/metrics" -> reply(200, "OK", onlyHead, MetricsText.CONTENT_TYPE, "", MetricsText.of(s));
                case "/status" -> reply(200, "OK", onlyHead, StatusJson.CONTENT_TYPE, "", StatusJson.of(s));
                default -> {
                    if (s.healthy()) {
                        reply(200, "OK", onlyHead, "", "ok\n");
                    } else {
                        reply(503, "Service Unavailable", onlyHead, "", s.sinceSweepMillis() < 0 ? "starting: the reactor has not swept yet\n"
                                : "the reactor has not swept for " + s.sinceSweepMillis() + " ms\n");
                    }
                }
            }
        }
    }

    private void reply(int code, String reason, boolean onlyHead, String headers, String body) {
        reply(code, reason, onlyHead, TEXT, headers, body);
    }

    /** Sends the answer, without its body to a {@code HEAD}, and closes once it is out. */
    private void reply(int code, String reason, boolean onlyHead, String type, String headers, String body) {
        byte[] content = body.getBytes(StandardCharsets.UTF_8);
        byte[] head = ("HTTP/1.1 " + code + " " + reason + "\r\nContent-Type: " + type + "\r\nCache-Control: no-store\r\n" + headers
                + "Content-Length: " + content.length + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
        ByteBuffer answer = ByteBuffer.allocate(head.length + (onlyHead ? 0 : content.length)).put(head);
        if (!onlyHead) {
            answer.put(content);
        }
        connection.guest(); // a request was made: no handshake to wait for, and the answer must end in a close, not a reset
        connection.send(answer.flip());
        connection.closeAfterFlush("status page answered");
    }

    @Override
    public void onClose(String reason) {
    }
}
