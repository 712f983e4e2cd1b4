package ar.loteria.central.reactor;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.Iterator;

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
    /** The rest of a long reply, made only as fast as the peer reads it. */
    private Iterator<ByteBuffer> producer;
    private Session session;
    private ByteBuffer input;
    private int pendingOutput;
    /** When bytes last moved either way: a peer reading a long answer slowly is not idle. */
    private long lastActivityNanos;
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
        this.lastActivityNanos = now;
    }

    public String ip() {
        return ip;
    }

    public boolean isOpen() {
        return state == State.OPEN;
    }

    /**
     * Whether replies pile up unread past {@link #MAX_PENDING_OUTPUT}: sessions stop taking
     * requests until the peer reads, so a peer that only writes cannot make the central buffer
     * without bound. They are called again as soon as the backlog drains.
     */
    public boolean backlogged() {
        return producer != null || pendingOutput >= MAX_PENDING_OUTPUT;
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
                if (channel.write(bytes) > 0) {
                    lastActivityNanos = reactor.now();
                }
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

    /**
     * Queues a reply of many frames without holding them all: the next ones are taken from
     * {@code frames} only as the peer reads the earlier ones. Until the last is taken, the
     * connection is {@link #backlogged}, so no later reply can overtake them.
     */
    public void send(Iterator<ByteBuffer> frames) {
        if (producer != null) {
            throw new IllegalStateException("one streamed reply at a time");
        }
        producer = frames;
        produce();
    }

    private void produce() {
        while (producer != null && pendingOutput < MAX_PENDING_OUTPUT && (state == State.OPEN || state == State.CLOSING)) {
            if (!producer.hasNext()) {
                producer = null;
                break;
            }
            send(producer.next());
        }
    }

    /** Closes once every queued reply is written; nothing more is read. */
    public void closeAfterFlush(String reason) {
        if (state != State.OPEN) {
            return;
        }
        state = State.CLOSING;
        closeReason = reason;
        closingSinceNanos = reactor.now();
        if (output.isEmpty() && producer == null) {
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
            // The buffer goes back to the pool only here, never under the session's feet: close()
            // during the session's turn leaves it to us.
            if (state == State.CLOSED) {
                releaseInput();
            } else if (input != null && input.compact().position() == 0) {
                releaseInput();
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
            lastActivityNanos = now;
        }
        processInput();
    }

    void onWritable() {
        boolean wasBacklogged = backlogged();
        try {
            while (!output.isEmpty()) {
                ByteBuffer head = output.peek();
                int written = channel.write(head);
                if (written > 0) {
                    pendingOutput -= written;
                    lastActivityNanos = reactor.now();
                }
                if (head.hasRemaining()) {
                    break;
                }
                output.poll();
            }
        } catch (IOException e) {
            close(e.getMessage());
            return;
        }
        produce();
        if (output.isEmpty() && producer == null && state == State.CLOSING) {
            flushed();
        } else if (wasBacklogged && !backlogged()) {
            processInput(); // the session held requests back while replies piled up
        } else {
            updateInterest();
        }
    }

    /**
     * Closes it if it has been quiet too long, or took too long to close. Quiet means nothing
     * read and nothing owed: a connection with replies still to write is never idle, since the
     * peer may be reading them slowly through a kernel buffer that hides its progress from us;
     * its memory is bounded anyway, and a vanished peer shows up as a write error.
     */
    void sweep(long now, long idleNanos, long lingerNanos) {
        if (state == State.OPEN) {
            boolean owesNothing = output.isEmpty() && producer == null;
            if (owesNothing && now - lastActivityNanos > idleNanos && (session == null || session.mayIdleOut())) {
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
        if (!processing) {
            releaseInput(); // else processInput() does it once the session lets go of it
        }
        output.clear();
        producer = null;
        pendingOutput = 0;
        reactor.forget(this, reason);
        if (session != null) {
            session.onClose(this);
        }
    }

    private void releaseInput() {
        if (input != null) {
            reactor.buffers().release(input);
            input = null;
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

    /** The session's last word before the central stops. */
    void shuttingDown() {
        if (session != null && state == State.OPEN) {
            session.onShutdown(this);
        }
    }
}
