package ar.loteria.central.reactor;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.Iterator;

/**
 * One peer, as the reactor sees it: its socket and how far it is from closed, the bytes read but
 * not yet used, the replies not yet written ({@link Outbound}), and the session that makes sense
 * of them. Reactor thread only.
 *
 * <p>Memory stays bounded whatever the peer does: input waits in one pooled buffer, lent only
 * while it holds something, and nothing more is read while it is full or the session paused its
 * input; replies are bounded by the session, which stops taking requests above the high water mark.
 * Time is bounded too: see {@link #sweep}.
 */
public final class Connection {
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
    private final InetAddress address;
    private final String ip;
    private final Outbound outbound = new Outbound();
    private Session session;
    private ByteBuffer input;
    private State state = State.OPEN;
    private String closeReason;
    private boolean endOfInput;
    private boolean paused;
    private boolean processing;
    private boolean processAgain;
    /** Above the high water mark, until drained below the low one. */
    private boolean blocked;
    /** Waiting for an input buffer to read into. */
    private boolean starved;
    /** Replies were added since the last write: the reactor writes them at the end of its turn. */
    private boolean dirty;
    private long lastReadNanos;
    private long lastWriteNanos;
    /** Since when the head of the input is a request still arriving; -1 when there is none. */
    private long partialSinceNanos = -1;
    private long closingSinceNanos;

    Connection(Reactor reactor, SocketChannel channel, SelectionKey key, InetAddress address, long now) {
        this.reactor = reactor;
        this.channel = channel;
        this.key = key;
        this.address = address;
        this.ip = address == null ? "unknown" : address.getHostAddress();
        this.lastReadNanos = now;
        this.lastWriteNanos = now;
    }

    void attach(Session session) {
        this.session = session;
    }

    public String ip() {
        return ip;
    }

    InetAddress address() {
        return address;
    }

    public boolean isOpen() {
        return state == State.OPEN;
    }

    /**
     * Whether the session may produce more replies: false above the high water mark, until the
     * peer reads below the low one. Input left unused meanwhile is offered again then, and
     * nothing more is read.
     */
    public boolean writable() {
        return !blocked && !outbound.aboveHighWater();
    }

    /** Queues a reply; the reactor writes it, with the others of this turn, before it selects again. */
    public void send(ByteBuffer reply) {
        if (state == State.OPEN || state == State.CLOSING) {
            owed();
            outbound.add(reply);
            queued();
        }
    }

    /** Queues a reply made of many buffers, taken from {@code stream} only as the peer reads the earlier ones. */
    public void stream(Iterator<ByteBuffer> stream) {
        if (state == State.OPEN || state == State.CLOSING) {
            owed();
            outbound.add(stream);
            queued();
        }
    }

    /** A reply becomes owed: the write timeout counts from now, not from the last write, long ago perhaps. */
    private void owed() {
        if (outbound.isEmpty()) {
            lastWriteNanos = System.nanoTime();
        }
    }

    /** Whether a streamed reply is still being written. */
    public boolean streaming() {
        return outbound.streaming();
    }

    /** The session holds the input it has: read no more, and do not count the wait against the peer. */
    public void pauseInput() {
        paused = true;
        partialSinceNanos = -1;
    }

    /** The session is ready for more: it is handed the input it left, in this same turn. */
    public void resumeInput() {
        if (paused) {
            paused = false;
            reactor.resume(this);
        }
    }

    /** Runs {@code task} on the reactor thread; safe from any thread. A task that throws closes this connection. */
    public void later(Runnable task) {
        reactor.execute(() -> reactor.guarded(this, task));
    }

    /** Closes once every queued reply is written; nothing more is read. */
    public void closeAfterFlush(String reason) {
        if (state != State.OPEN) {
            return;
        }
        state = State.CLOSING;
        closeReason = reason;
        closingSinceNanos = reactor.now();
        queued();
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
            releaseInput(); // else processInput() lets it go once the session lets go of it
        }
        outbound.clear();
        reactor.forget(this, reason);
        if (session != null) {
            session.onClose(reason);
        }
    }

    private void queued() {
        if (!dirty) {
            dirty = true;
            reactor.dirty(this);
        }
    }

    // The reactor's side.

    void onReadable(long now) {
        if (input == null) {
            input = reactor.buffers().acquire();
            if (input == null) { // every buffer is lent: wait for one, the bytes wait in the kernel
                starved = true;
                reactor.starve(this);
                updateInterest();
                return;
            }
        }
        int n;
        try {
            n = channel.read(input);
        } catch (IOException e) {
            close(String.valueOf(e.getMessage()));
            return;
        }
        if (n < 0) {
            endOfInput = true;
        } else if (n > 0) {
            lastReadNanos = now;
        }
        processInput(now);
    }

    /** Hands the buffered input to the session, and again as long as it asks for it. */
    void processInput(long now) {
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
                int before = in.position();
                passInput(in);
                if (in.position() != before) {
                    partialSinceNanos = -1; // a request was used: the deadline is the next one's
                }
            } while (processAgain && state == State.OPEN && !paused);
            blocked |= outbound.aboveHighWater();
            if (!in.hasRemaining() || paused || blocked || state != State.OPEN) {
                partialSinceNanos = -1;
            } else if (partialSinceNanos < 0) {
                partialSinceNanos = now;
            }
            if (state == State.CLOSED || input != null && input.compact().position() == 0) {
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
        } else if (state == State.OPEN && !paused && !reactor.isStopping()) {
            session.onInput(in, endOfInput);
        }
    }

    /** Writes what is owed, as far as the socket takes it. */
    void flush(long now) {
        dirty = false;
        if (state != State.OPEN && state != State.CLOSING) {
            return;
        }
        try {
            if (outbound.writeTo(channel) > 0) {
                lastWriteNanos = now;
            }
        } catch (IOException e) {
            close(String.valueOf(e.getMessage()));
            return;
        }
        if (outbound.isEmpty() && state == State.CLOSING) {
            flushed();
            return;
        }
        if (!blocked && outbound.aboveHighWater()) {
            blocked = true;
        } else if (blocked && outbound.belowLowWater()) {
            blocked = false;
            session.onWritable();
            reactor.resume(this); // the input left while blocked
        }
        updateInterest();
    }

    /**
     * Closes it when a limit ran out. Idle: nothing read for {@code idle}, nothing owed, and the
     * session waits for nothing. Not reading: replies owed and none taken by the peer for
     * {@code write}. Too slow: the request at the head of the input has been arriving for
     * {@code request}, however steadily its bytes trickle in. Closing: no progress for the linger.
     */
    void sweep(long now, Limits limits) {
        if (state == State.OPEN) {
            boolean owesNothing = outbound.isEmpty();
            if (!owesNothing && now - lastWriteNanos > limits.writeTimeout().toNanos()) {
                close("the peer read none of its replies for " + limits.writeTimeout().toMillis() + " ms");
            } else if (partialSinceNanos >= 0 && now - partialSinceNanos > limits.requestTimeout().toNanos()) {
                close("a request took more than " + limits.requestTimeout().toMillis() + " ms to arrive");
            } else if (owesNothing && !paused && !starved && now - lastReadNanos > limits.idleTimeout().toNanos()
                    && session.mayIdleOut()) {
                close("idle for " + limits.idleTimeout().toMillis() + " ms");
            }
        } else if (state == State.CLOSING) {
            if (now - Math.max(lastWriteNanos, closingSinceNanos) > Limits.LINGER.toNanos()) {
                close(closeReason);
            }
        } else if (state == State.LINGERING && now - closingSinceNanos > Limits.LINGER.toNanos()) {
            close(closeReason);
        }
    }

    /** Every reply of a closing connection is out: shut our side, then drain the peer's until it closes too. */
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
        closingSinceNanos = reactor.now();
        updateInterest();
    }

    private void updateInterest() {
        if (state == State.CLOSED || !key.isValid()) {
            return;
        }
        boolean roomToRead = input == null || input.hasRemaining();
        boolean reading = !endOfInput && !starved
                && (state == State.LINGERING || state == State.OPEN && !paused && !blocked && roomToRead && !reactor.isStopping());
        int ops = (reading ? SelectionKey.OP_READ : 0) | (outbound.isEmpty() ? 0 : SelectionKey.OP_WRITE);
        if (key.interestOps() != ops) {
            key.interestOps(ops);
        }
    }

    private void releaseInput() {
        if (input != null) {
            reactor.buffers().release(input);
            input = null;
            reactor.bufferReturned();
        }
    }

    /** The input buffer this connection waited for: read into it. */
    void fed(ByteBuffer buffer) {
        starved = false;
        input = buffer;
        updateInterest();
    }

    /** The heap its replies not yet written hold. */
    long queuedBytes() {
        return outbound.charged();
    }

    boolean isClosed() {
        return state == State.CLOSED;
    }

    /** At shutdown: the session's last word, one try to write what is owed without waiting, then the close. */
    void shutdown() {
        if (state == State.OPEN) {
            session.onShutdown();
        }
        if (state == State.OPEN || state == State.CLOSING) {
            flush(reactor.now());
        }
        close("shutdown");
    }
}
