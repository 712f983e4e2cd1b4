package ar.loteria.central.reactor;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;

/**
 * One peer, as the reactor sees it: the bytes read but not yet used, the replies not yet
 * written, and the session that makes sense of them. Reactor thread only.
 *
 * <p>Memory stays bounded whatever the peer does: input waits in one buffer of
 * {@link #INPUT_BYTES} (lent by the pool only while it holds something), and reading stops while
 * that buffer is full or while more than {@link #MAX_PENDING_OUTPUT} bytes of replies wait for
 * the peer to read them.
 */
public final class Connection {
    static final int INPUT_BYTES = 16 * 1024;
    static final int MAX_PENDING_OUTPUT = 64 * 1024;
    private static final ByteBuffer NO_INPUT = ByteBuffer.allocate(0).asReadOnlyBuffer();

    private enum State {
        OPEN,
        /** Replies are still being written; the connection closes once they are out. */
        CLOSING,
        /** Our side is shut; what the peer still sends is drained so that our last reply is not lost to a reset. */
        LINGERING,
        CLOSED
    }

    private final Reactor reactor;
    private final SocketChannel channel;
    private final SelectionKey key;
    private final String ip;
    private final ArrayDeque<ByteBuffer> output = new ArrayDeque<>();
    private Session session;
    private ByteBuffer input;
    private int pendingOutput;
    private long lastInputNanos;
    private long closingSinceNanos;
    private boolean endOfInput;
    private boolean processing;
    private boolean processAgain;
    private State state = State.OPEN;
    private String closeReason;

    Connection(Reactor reactor, SocketChannel channel, SelectionKey key, String ip, long now) {
        this.reactor = reactor;
        this.channel = channel;
        this.key = key;
        this.ip = ip;
        this.lastInputNanos = now;
    }

    public String ip() {
        return ip;
    }

    public boolean isOpen() {
        return state == State.OPEN;
    }

    /** Runs {@code task} on the reactor thread; safe from any thread. */
    public void later(Runnable task) {
        reactor.execute(task);
    }

    /** Queues bytes for the peer, writing at once what the socket takes. */
    public void send(ByteBuffer bytes) {
        if (state != State.OPEN && state != State.CLOSING) {
            return;
        }
        if (output.isEmpty()) {
            try {
                channel.write(bytes);
            } catch (IOException e) {
                close(e.getMessage());
                return;
            }
        }
        if (bytes.hasRemaining()) {
            output.add(bytes);
            pendingOutput += bytes.remaining();
        }
        updateInterest();
    }

    /** Closes once every queued reply is written; nothing more is read. */
    public void closeAfterFlush(String reason) {
        if (state != State.OPEN) {
            return;
        }
        state = State.CLOSING;
        closeReason = reason;
        closingSinceNanos = reactor.now();
        if (output.isEmpty()) {
            flushed();
        } else {
            updateInterest();
        }
    }

    /**
     * Lets the session use the buffered input. A session that was waiting calls it once it is
     * ready again; a call from inside the session's own {@code onInput} just asks for another pass.
     */
    public void processInput() {
        if (processing) {
            processAgain = true;
            return;
        }
        if (state == State.CLOSED) {
            return;
        }
        processing = true;
        try {
            ByteBuffer in = input == null ? NO_INPUT : input.flip();
            do {
                processAgain = false;
                passInput(in);
            } while (processAgain && state == State.OPEN);
            if (state == State.CLOSED) {
                return;
            }
            if (input != null) {
                input.compact();
                if (input.position() == 0) {
                    reactor.buffers().release(input);
                    input = null;
                }
            }
            updateInterest();
        } finally {
            processing = false;
        }
    }

    private void passInput(ByteBuffer in) {
        if (state == State.LINGERING) {
            in.position(in.limit()); // drained, unread
            if (endOfInput) {
                close(closeReason);
            }
        } else if (state == State.OPEN && !reactor.isStopping()) {
            if (session == null && in.hasRemaining()) {
                session = reactor.newSession(this, in.get(in.position()));
            }
            if (session != null) {
                session.onInput(this, in, endOfInput);
            } else if (endOfInput) {
                closeAfterFlush("peer closed without a word");
            }
        }
    }

    void onReadable(long now) {
        if (input == null) {
            input = reactor.buffers().acquire();
        }
        int n;
        try {
            n = channel.read(input);
        } catch (IOException e) {
            close(e.getMessage());
            return;
        }
        if (n < 0) {
            endOfInput = true;
        } else if (n > 0) {
            lastInputNanos = now;
        }
        processInput();
    }

    void onWritable() {
        try {
            while (!output.isEmpty()) {
                ByteBuffer head = output.peek();
                pendingOutput -= channel.write(head);
                if (head.hasRemaining()) {
                    break;
                }
                output.poll();
            }
        } catch (IOException e) {
            close(e.getMessage());
            return;
        }
        if (output.isEmpty() && state == State.CLOSING) {
            flushed();
        } else {
            updateInterest();
        }
    }

    /** Closes it if it has been quiet too long, or took too long to close. */
    void sweep(long now, long idleNanos, long lingerNanos) {
        if (state == State.OPEN) {
            if (now - lastInputNanos > idleNanos && (session == null || session.mayIdleOut())) {
                close("idle for " + idleNanos / 1_000_000 + " ms");
            }
        } else if (state != State.CLOSED && now - closingSinceNanos > lingerNanos) {
            close(closeReason);
        }
    }

    private void flushed() {
        if (endOfInput) {
            close(closeReason);
            return;
        }
        try {
            channel.shutdownOutput();
        } catch (IOException e) {
            close(closeReason);
            return;
        }
        state = State.LINGERING;
        updateInterest();
    }

    private void updateInterest() {
        if (state == State.CLOSED || !key.isValid()) {
            return;
        }
        boolean reading = state == State.LINGERING || (state == State.OPEN && (input == null || input.hasRemaining())
                && pendingOutput < MAX_PENDING_OUTPUT && !reactor.isStopping());
        int ops = (reading && !endOfInput ? SelectionKey.OP_READ : 0) | (output.isEmpty() ? 0 : SelectionKey.OP_WRITE);
        if (key.interestOps() != ops) {
            key.interestOps(ops);
        }
    }

    /** Closes now, whatever is pending. */
    public void close(String reason) {
        if (state == State.CLOSED) {
            return;
        }
        state = State.CLOSED;
        key.cancel();
        try {
            channel.close();
        } catch (IOException ignored) {
            // nothing left to do with it
        }
        if (input != null) {
            reactor.buffers().release(input);
            input = null;
        }
        output.clear();
        pendingOutput = 0;
        reactor.forget(this, reason);
        if (session != null) {
            session.onClose(this);
        }
    }

    /** At shutdown: one last try to write what is owed, without waiting. */
    void flushNow() {
        if (state == State.OPEN || state == State.CLOSING) {
            onWritable();
        }
    }

    int agency() {
        return session == null ? 0 : session.agency();
    }
}
