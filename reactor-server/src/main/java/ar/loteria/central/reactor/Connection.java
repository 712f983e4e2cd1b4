package ar.loteria.central.reactor;

import static ar.loteria.central.reactor.Lifecycle.State.CLOSED;
import static ar.loteria.central.reactor.Lifecycle.State.CLOSING;
import static ar.loteria.central.reactor.Lifecycle.State.LINGERING;
import static ar.loteria.central.reactor.Lifecycle.State.OPEN;
import static ar.loteria.central.reactor.Lifecycle.State.HELD;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.Iterator;
import java.util.function.BooleanSupplier;

/**
 * One peer, as the reactor sees it: a small state machine ({@link Lifecycle}) wiring its socket
 * ({@link Endpoint}), its input side ({@link Intake}), its replies ({@link Replies}), its clocks
 * ({@link Deadlines}) and the session that makes sense of its bytes. Reactor thread only.
 *
 * <p>Memory stays bounded whatever the peer does: input waits in one pooled buffer
 * ({@link InputBuffers}), replies within the session's high water mark and the
 * {@link OutputBudget} of all connections; what the session says of the peer
 * ({@link #authenticated}, {@link #guest}) decides how much of each it may hold.
 */
public final class Connection {
    /** What a guest's kernel send buffer is capped at: a few of its longest lines. */
    static final int GUEST_SEND_BUFFER = 16 * 1024;

    private final Reactor reactor;
    /** The listener that accepted it, which keeps it on its roll. */
    private final Acceptor door;
    private final Endpoint socket;
    private final InetAddress address;
    private final String ip;
    private final Deadlines deadlines;
    private final Intake intake;
    private final Replies replies;
    private final Lifecycle lifecycle = new Lifecycle();
    private Session session;
    /** Whether it may be closed for idling: made once, as the sweep asks every connection ten times a second. */
    private final BooleanSupplier mayIdleOut;
    private Standing standing = Standing.STRANGER;
    /** Replies were added since the last write: the reactor writes them at the end of its turn. */
    private boolean dirty;

    Connection(Reactor reactor, Acceptor door, SocketChannel channel, SelectionKey key, InetAddress address, long now) {
        this.reactor = reactor;
        this.door = door;
        this.socket = new Endpoint(channel, key);
        this.address = address;
        this.ip = address == null ? "unknown" : address.getHostAddress();
        this.deadlines = new Deadlines(now);
        this.intake = new Intake(this, reactor, socket, deadlines, address);
        this.replies = new Replies(this, reactor.output(), deadlines);
        this.mayIdleOut = () -> !intake.held() && !replies.isShed() && session.mayIdleOut();
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
        if (standing != Standing.AUTHENTICATED && lifecycle.is(OPEN)) {
            standing = Standing.AUTHENTICATED;
            door.authenticated(this);
        }
    }

    /**
     * The session serves its peer without a handshake (the echo): no handshake deadline, but
     * nothing else of an authenticated peer, and a small kernel send buffer: a guest that writes
     * and never reads costs the central what that buffer and its replies' high water hold, not
     * the megabytes the kernel would let a send buffer grow to, each echoed first.
     */
    public void guest() {
        if (standing == Standing.STRANGER) {
            standing = Standing.GUEST;
            socket.capSendBuffer(GUEST_SEND_BUFFER);
        }
    }

    /**
     * The request at the head of the input is {@code bytes} long: the input buffer is made big
     * enough once the session returns, if the peer's standing allows; else the connection is read
     * no more until it may have one.
     */
    public void needRoom(int bytes) {
        intake.want(bytes);
    }

    /** Its first bytes came. */
    void spoke() {
        door.spoke(this);
    }

    /** When the reactor accepted it. */
    long acceptedNanos() {
        return deadlines.acceptedNanos();
    }

    public boolean isOpen() {
        return lifecycle.is(OPEN);
    }

    public boolean isClosed() {
        return lifecycle.is(CLOSED);
    }

    /**
     * Whether the session may produce more replies: false above the high water mark, until the
     * peer reads below the low one. Input left unused meanwhile is offered again then, and
     * nothing more is read.
     */
    public boolean writable() {
        return replies.admit(standing, reactor.now());
    }

    /** Queues a reply; the reactor writes it, with the others of this turn, before it selects again. */
    public void send(ByteBuffer reply) {
        if (lifecycle.takesReplies()) {
            replies.add(reply);
            queued();
        }
    }

    /** Queues a reply made of many buffers, taken from {@code stream} only as the peer reads the earlier ones. */
    public void stream(Iterator<ByteBuffer> stream) {
        if (lifecycle.takesReplies()) {
            replies.add(stream);
            queued();
        }
    }

    /** Whether a streamed reply is still being written. */
    public boolean streaming() {
        return replies.streaming();
    }

    /** The session holds the input it has: read no more, and do not count the wait against the peer. */
    public void pauseInput() {
        intake.pause();
    }

    /** The session is ready for more: it is handed the input it left, in this same turn. */
    public void resumeInput() {
        intake.resume();
    }

    /** Runs {@code task} on the reactor thread; safe from any thread. A task that throws closes this connection. */
    public void later(Runnable task) {
        reactor.execute(() -> reactor.guarded(this, task));
    }

    /** Closes once every queued reply is written; nothing more is read. */
    public void closeAfterFlush(String reason) {
        if (lifecycle.closeAfterFlush(reason, reactor.now())) {
            queued();
        }
    }

    /** Closes now, whatever is pending. */
    public void close(String reason) {
        close(reason, false);
    }

    /**
     * Closes a stranger displaced with a reset instead of a FIN: it is owed nothing, and a flood
     * has thousands of them closed a second. Anyone else is closed as by {@link #close}.
     */
    void reset(String reason) {
        close(reason, true);
    }

    private void close(String reason, boolean reset) {
        if (!lifecycle.close()) {
            return;
        }
        socket.close(reset && standing == Standing.STRANGER);
        intake.drop();
        replies.clear();
        reactor.buffers().forget(this);
        door.forget(this, reason);
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
        try {
            intake.read(now);
        } catch (IOException e) {
            close(String.valueOf(e.getMessage()));
            return;
        }
        processInput(now);
    }

    /** Hands the buffered input to the session, and again as long as it asks for it. */
    void processInput(long now) {
        intake.process(now);
    }

    /** What the input is for in this state: the session's while open, drained unread while lingering. */
    void passInput(ByteBuffer in) {
        if (lifecycle.is(LINGERING)) {
            in.position(in.limit());
            if (intake.ended()) {
                close(lifecycle.reason());
            }
        } else if (lifecycle.is(OPEN) && !intake.paused() && !reactor.isStopping()) {
            session.onInput(in, intake.ended());
        }
    }

    /** The session's turn is over: replies above the high water mark block its input. Whether what is left waits on us. */
    boolean turnOver() {
        replies.blockIfFull();
        return replies.holdBack() || !lifecycle.is(OPEN);
    }

    /** Writes what is owed, as far as the socket takes it. */
    void flush(long now) {
        dirty = false;
        if (!lifecycle.takesReplies()) {
            return;
        }
        try {
            replies.writeTo(socket.output(), now);
        } catch (IOException e) {
            close(String.valueOf(e.getMessage()));
            return;
        }
        if (replies.isEmpty() && lifecycle.is(CLOSING)) {
            flushed();
            return;
        }
        if (replies.unblocked()) {
            session.onWritable();
            reactor.resume(this); // the input left while blocked
        }
        if (replies.readmitted(standing)) {
            unshed();
        }
        updateInterest();
    }

    /** The output budget has room again: the session is handed the input it left. */
    void unshed() {
        if (lifecycle.is(OPEN) && replies.unshed()) {
            session.onWritable();
            reactor.resume(this);
            updateInterest();
        }
    }

    /**
     * Closes it when a limit of time ran out ({@link Deadlines}), or when its close makes no
     * progress ({@link Lifecycle}); a stranger's close is a reset. A stranger that never sent a
     * byte is held instead, unread, with no buffer and nothing owed: closed, a silent flood's
     * connections would only connect again, and one that fills the cap would have the central
     * close and accept thousands a second. One that spoke may be an agency whose proof came late:
     * closed, it tries again at once.
     */
    void sweep(long now, Limits limits) {
        boolean open = lifecycle.is(OPEN);
        String why = open
                ? deadlines.overdue(now, limits, standing == Standing.STRANGER, !replies.isEmpty(), replies.isShed(), mayIdleOut)
                : lifecycle.overdue(now, deadlines, limits);
        if (why == null) {
            return;
        }
        if (open && standing == Standing.STRANGER && deadlines.silent() && !reactor.isStopping()) {
            hold(why);
        } else {
            close(why, true);
        }
    }

    /** Read no more and owed nothing: it keeps only its socket, first to go for a newcomer, for the idle timeout. */
    private void hold(String why) {
        lifecycle.hold(why, reactor.now());
        intake.drop();
        replies.clear();
        reactor.buffers().forget(this);
        door.held(this);
        updateInterest();
    }

    /**
     * Every reply of a closing connection is out: shut our side, then drain the peer's until it
     * closes too. A stranger refused is held instead, unread: its refusal is out, and a flood that
     * sees its close connects again at once.
     */
    private void flushed() {
        if (intake.ended()) {
            close(lifecycle.reason());
            return;
        }
        if (standing == Standing.STRANGER && !reactor.isStopping()) {
            hold(lifecycle.reason());
            return;
        }
        if (!socket.shutdownOutput()) {
            close(lifecycle.reason());
            return;
        }
        lifecycle.linger(reactor.now());
        updateInterest();
    }

    void updateInterest() {
        if (lifecycle.is(CLOSED)) {
            return;
        }
        boolean reading = intake.mayRead()
                && (lifecycle.is(LINGERING) || lifecycle.is(OPEN) && !intake.paused() && !replies.holdBack() && !reactor.isStopping());
        socket.watch(reading, !replies.isEmpty());
    }

    /** The large input buffer this connection waited for: what the small one held moves in, and reading goes on. */
    void fed(ByteBuffer large) {
        intake.fed(large, standing);
        updateInterest();
    }

    /**
     * At shutdown: the session's last word, then the close once it is written, our side shut first
     * and the peer's last bytes drained, so that the peer reads the word instead of a reset.
     */
    void shutdown() {
        if (lifecycle.is(HELD)) {
            close("shutdown"); // owed nothing: refused, its refusal is out; past a deadline, it is owed no word
            return;
        }
        if (lifecycle.is(OPEN)) {
            session.onShutdown();
            closeAfterFlush("shutdown");
        }
        if (lifecycle.is(CLOSING)) {
            flush(reactor.now());
        }
    }
}
