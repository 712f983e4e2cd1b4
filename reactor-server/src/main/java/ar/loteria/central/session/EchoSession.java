package ar.loteria.central.session;

import ar.loteria.central.reactor.Connection;
import ar.loteria.central.reactor.Session;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The plain-text session, the course's health check: every line goes back unchanged, logged
 * first. When the peer closes its side, a last line without a newline goes back too, then the
 * connection closes.
 */
final class EchoSession implements Session {
    static final int MAX_LINE_BYTES = 8192;
    /** A logged line is cut here: the echo is whole, the log need not be. */
    static final int MAX_LOGGED_CHARS = 256;

    private final Connection connection;
    private final SessionEvents log;

    EchoSession(Connection connection, SessionEvents log) {
        this.connection = connection;
        this.log = log;
        connection.guest(); // the course's health check has no handshake
    }

    @Override
    public void onInput(ByteBuffer input, boolean endOfInput) {
        for (int newline = indexOf(input, (byte) '\n'); newline >= 0; newline = indexOf(input, (byte) '\n')) {
            if (newline - input.position() > MAX_LINE_BYTES || !connection.isOpen() || !connection.writable()) {
                break;
            }
            echo(input, newline + 1 - input.position());
        }
        if (!connection.isOpen() || !connection.writable()) {
            return; // closed under us, or waiting for the peer to read: called again once it does
        }
        if (input.remaining() > MAX_LINE_BYTES) {
            log.echoLineTooLong(connection.ip(), MAX_LINE_BYTES);
            input.position(input.limit());
            connection.closeAfterFlush("echo line too long");
        } else if (endOfInput) {
            if (input.hasRemaining()) {
                echo(input, input.remaining());
            }
            connection.closeAfterFlush("peer closed");
        } else if (input.hasRemaining()) {
            connection.needRoom(input.remaining() + 1); // a line still arriving: room for it to grow, up to the longest
        }
    }

    private void echo(ByteBuffer input, int length) {
        byte[] line = new byte[length];
        input.get(line);
        int end = length;
        while (end > 0 && (line[end - 1] == '\n' || line[end - 1] == '\r')) {
            end--;
        }
        String text = new String(line, 0, end, StandardCharsets.UTF_8);
        log.echoed(connection.ip(), text.length() > MAX_LOGGED_CHARS ? text.substring(0, MAX_LOGGED_CHARS) + "…" : text);
        connection.send(ByteBuffer.wrap(line)); // after its line, which must be out before the echo
    }

    private static int indexOf(ByteBuffer b, byte target) {
        for (int i = b.position(); i < b.limit(); i++) {
            if (b.get(i) == target) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public void onClose(String reason) {
    }

    @Override
    public void onShutdown() {
        log.closedAtShutdown(connection.ip(), 0);
    }
}
