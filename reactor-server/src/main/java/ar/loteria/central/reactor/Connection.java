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
 * while it holds something, small until the session asks for room for a request that does not fit
 * ({@link InputBuffers}), and nothing more is read while it is full or the session paused its
 * input; replies are bounded by the session, which stops taking requests above the high water
 * mark, and over all connections by the {@link OutputBudget}. What the session says of the peer
 * ({@link #authenticated}, {@link #guest}) decides how much of each it may hold. Time is bounded
 * too: see {@link #sweep}.
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
    private final Outbound outbound;
    private final long acceptedNanos;
    private Session session;
    private Standing standing = Standing.STRANGER;
    private final Input input;
    private State state = State.OPEN;
    private String closeReason;
    private boolean endOfInput;
    private boolean paused;
    private boolean processing;
    private boolean processAgain;
    /** Above the high water mark, until drained below the low one. */
    private boolean blocked;
    /** Refused output by the budget of all connections: read no more until resumed. */
    private boolean shed;
    /** Whether a byte ever came: the silent are displaced first. */
    private boolean spoke;
    /** Replies were added since the last write: the reactor writes them at the end of its turn. */
    private boolean dirty;
    private long lastReadNanos;
    private long lastWriteNanos;
    /** Since when the head of the input is a request still arriving; -1 when there is none. */
    private long partialSinceNanos = -1;
    /** {@link #bytesRead} before the first byte of that request: how much of it arrived since tells its rate. */
    private long partialFromBytes;
    private long bytesRead;
    private long shedSinceNanos;
    private long closingSinceNanos;

    Connection(Reactor reactor, SocketChannel channel, SelectionKey key, InetAddress address, long now) {
        this.reactor = reactor;
        this.channel = channel;
        this.key = key;
        this.address = address;
        this.ip = address == null ? "unknown" : address.getHostAddress();
        this.outbound = new Outbound(reactor.output());
        this.input = new Input(reactor.buffers(), address);
        this.acceptedNanos = now;
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

    Standing standing() {
        return standing;
    }

    /**
     * The session vouches for its peer: it proved who it is. It is never displaced by a newcomer,
     * has no handshake deadline, may take a large input buffer from the whole budget and holds its
     * share of output whatever other peers hold.
     */
    public void authenticated() {
        if (standing != Standing.AUTHENTICATED && state != State.CLOSED) {
            standing = Standing.AUTHENTICATED;
            reactor.authenticated(this);
        }
    }

    /** The session serves its peer without a handshake (the echo): no handshake deadline, but nothing else of an authenticated peer. */
    public void guest() {
        if (standing == Standing.STRANGER) {
            standing = Standing.GUEST;
        }
    }

    /**
     * The request at the head of the input is {@code bytes} long: the input buffer is made big
     * enough once the session returns, if the peer's standing allows; else the connection is read
     * no more until it may have one.
     */
    public void needRoom(int bytes) {
        input.want(bytes);
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
        if (blocked || outbound.aboveHighWater()) {
            return false;
        }
        if (reactor.output().admits(outbound.charged(), standing)) {
            return true;
        }
        if (!shed) {
            shed = true;
            shedSinceNanos = reactor.now();
            reactor.output().shed(this);
        }
        return false;
    }

    /** The output budget has room again: the session is handed the input it left. */
    void unshed() {
        if (shed && state == State.OPEN) {
            shed = false;
            reactor.output().forget(this);
            session.onWritable();
            reactor.resume(this);
            updateInterest();
        }
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
        reactor.output().forget(this);
        reactor.buffers().forget(this);
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
        int n;
        try {
            n = channel.read(input.forReading());
        } catch (IOException e) {
            close(String.valueOf(e.getMessage()));
            return;
        }
        if (n < 0) {
            endOfInput = true;
        } else if (n > 0) {
            lastReadNanos = now;
            bytesRead += n;
            if (!spoke) {
                spoke = true;
                reactor.spoke(this);
            }
        }
        processInput(now);
    }

    /** Hands the buffered input to the session, and again as long as it asks for it. */
    void processInput(long now) {
        if (processing) {
            processAgain = true;
            return;
        }
        if (state == State.CLOSED || input.waiting()) {
            return; // a starved session said already that the request at the head needs room: nothing to do until it has it
        }
        processing = true;
        try {
            ByteBuffer in = input.buffer() == null ? NO_INPUT : input.buffer().flip();
            do {
                processAgain = false;
                int before = in.position();
                passInput(in);
                if (in.position() != before) {
                    partialSinceNanos = -1; // a request was used: the deadline is the next one's
                }
            } while (processAgain && state == State.OPEN && !paused);
            blocked |= outbound.aboveHighWater();
            if (!in.hasRemaining() || paused || blocked || shed || state != State.OPEN) {
                partialSinceNanos = -1; // nothing arriving, or waiting on us, not on the peer
            } else if (partialSinceNanos < 0) {
                partialSinceNanos = now;
                partialFromBytes = bytesRead - in.remaining();
            }
            if (input.buffer() != null && input.settle(this, state != State.CLOSED)) {
                reactor.bufferReturned();
            }
            if (input.waiting() && standing == Standing.AUTHENTICATED) {
                partialSinceNanos = -1; // waiting on us, not on the peer; a guest's request deadline runs on
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
        if (shed && reactor.output().admits(outbound.charged(), standing)) {
            unshed();
        }
        updateInterest();
    }

    /**
     * Closes it when a limit ran out. No handshake: a stranger whose session did not say what it
     * is within {@code handshake}. Not reading: replies owed and none taken by the peer for
     * {@code write}, or, once shed by the output budget, not all taken within {@code write}. Too
     * slow: the request at the head of the input has been arriving for {@code request}, however
     * steadily its bytes trickle in, or below the minimum rate past its grace. Idle: nothing read
     * for {@code idle}, nothing owed, and the session waits for nothing. Closing: no progress for
     * the linger.
     */
    void sweep(long now, Limits limits) {
        if (state == State.OPEN) {
            String overdue = overdue(now, limits);
            if (overdue != null) {
                close(overdue);
            }
        } else if (state == State.CLOSING) {
            if (now - Math.max(lastWriteNanos, closingSinceNanos) > Limits.LINGER.toNanos()) {
                close(closeReason);
            }
        } else if (state == State.LINGERING && now - closingSinceNanos > Limits.LINGER.toNanos()) {
            close(closeReason);
        }
    }

    /** Which limit ran out, if any. */
    private String overdue(long now, Limits limits) {
        boolean owesNothing = outbound.isEmpty();
        long write = limits.writeTimeout().toNanos();
        if (standing == Standing.STRANGER && now - acceptedNanos > limits.handshakeTimeout().toNanos()) {
            return "no handshake within " + limits.handshakeTimeout().toMillis() + " ms";
        } else if (!owesNothing && now - lastWriteNanos > write) {
            return "the peer read none of its replies for " + limits.writeTimeout().toMillis() + " ms";
        } else if (!owesNothing && shed && now - shedSinceNanos > write) {
            return "past the output budget, the peer did not read its replies within " + limits.writeTimeout().toMillis() + " ms";
        } else if (partialSinceNanos >= 0 && now - partialSinceNanos > limits.requestTimeout().toNanos()) {
            return "a request took more than " + limits.requestTimeout().toMillis() + " ms to arrive";
        } else if (partialSinceNanos >= 0 && tooSlow(now, limits.minRequestRate())) {
            return "a request arrived at less than " + limits.minRequestRate() + " bytes a second";
        } else if (owesNothing && !paused && !input.waiting() && !shed && now - lastReadNanos > limits.idleTimeout().toNanos() && session.mayIdleOut()) {
            return "idle for " + limits.idleTimeout().toMillis() + " ms";
        }
        return null;
    }

    /** Whether the request still arriving, past its grace, came at less than {@code rate} bytes a second. */
    private boolean tooSlow(long now, int rate) {
        long elapsed = now - partialSinceNanos;
        return rate > 0 && elapsed > Limits.RATE_GRACE.toNanos() && (bytesRead - partialFromBytes) * 1_000_000_000.0 < (double) rate * elapsed;
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
        boolean reading = !endOfInput && input.roomToRead()
                && (state == State.LINGERING || state == State.OPEN && !paused && !blocked && !shed && !reactor.isStopping());
        int ops = (reading ? SelectionKey.OP_READ : 0) | (outbound.isEmpty() ? 0 : SelectionKey.OP_WRITE);
        if (key.interestOps() != ops) {
            key.interestOps(ops);
        }
    }

    private void releaseInput() {
        if (input.release()) {
            reactor.bufferReturned();
        }
    }

    /** The large input buffer this connection waited for: what the small one held moves in, and reading goes on. */
    void fed(ByteBuffer large) {
        input.fed(large, standing);
        if (partialSinceNanos < 0) {
            partialSinceNanos = reactor.now();
            partialFromBytes = bytesRead - large.position();
        }
        updateInterest();
    }

    /** The heap its replies not yet written hold. */
    long queuedBytes() {
        return outbound.charged();
    }

    public boolean isClosed() {
        return state == State.CLOSED;
    }

    /**
     * At shutdown: the session's last word, then the close once it is written, our side shut first
     * and the peer's last bytes drained, so that the peer reads the word instead of a reset.
     */
    void shutdown() {
        if (state == State.OPEN) {
            session.onShutdown();
            closeAfterFlush("shutdown");
        }
        if (state == State.CLOSING) {
            flush(reactor.now());
        }
    }
}
