package ar.loteria.central.session;

import ar.loteria.central.reactor.Connection;
import ar.loteria.central.reactor.Session;
import java.nio.ByteBuffer;

/**
 * The plain-text session, the course's health check: every line goes back unchanged, logged
 * first. When the peer closes its side, a last line without a newline goes back too, then the
 * connection closes.
 */
final class EchoSession implements Session {
    static final int MAX_LINE_BYTES = 8192;

    private final Connection connection;
    private final SessionEvents log;

    EchoSession(Connection connection, SessionEvents log) {
        this.connection = connection;
        this.log = log;
        connection.guest(); // the course's health check has no handshake
    }

    @Override
    public void onInput(ByteBuffer input, boolean endOfInput) {
        if (!connection.isOpen() || !connection.writable()) {
            return; // closed under us, or waiting for the peer to read: called again once it does
        }
        int end = wholeLines(input);
        if (end > input.position()) {
            echo(input, end - input.position());
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

    /** Where the run of whole lines at the head of the input ends: before the first line too long, if any. */
    private static int wholeLines(ByteBuffer input) {
        int end = input.position();
        for (int i = end; i < input.limit(); i++) {
            if (input.get(i) == '\n') {
                if (i - end > MAX_LINE_BYTES) {
                    break;
                }
                end = i + 1;
            }
        }
        return end;
    }

    /**
     * Echoes the next {@code length} bytes, a run of lines, as one reply: each line logged
     * first, which must be out before its echo; a run is read from the input at once, so the
     * replies of a peer that never reads outgrow its high water mark by one read at most.
     */
    private void echo(ByteBuffer input, int length) {
        byte[] run = new byte[length];
        input.get(run);
        for (int start = 0; start < length; ) {
            int next = start;
            while (next < length && run[next] != '\n') {
                next++;
            }
            int end = next;
            while (end > start && (run[end - 1] == '\r' || run[end - 1] == '\n')) {
                end--;
            }
            log.echoed(connection.ip(), run, start, end);
            start = next + 1;
        }
        connection.send(ByteBuffer.wrap(run));
    }

    @Override
    public void onClose(String reason) {
    }

    @Override
    public void onShutdown() {
        log.closedAtShutdown(connection.ip(), 0);
    }
}
