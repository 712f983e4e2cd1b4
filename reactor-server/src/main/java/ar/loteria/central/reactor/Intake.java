package ar.loteria.central.reactor;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;

/**
 * One connection's input side: it reads the peer's bytes into its {@link Input}, hands them on
 * through the connection, which knows what they are for in its state, again as long as the
 * session asks, keeps the request deadline on what is left, and says whether to read more: not
 * past the end of input, nor while the buffer is full or waits for room, nor while the session
 * paused it. Reactor thread only.
 */
final class Intake {
    private static final ByteBuffer NO_INPUT = ByteBuffer.allocate(0).asReadOnlyBuffer();

    private final Connection owner;
    private final Reactor reactor;
    private final Endpoint socket;
    private final Deadlines deadlines;
    private final Input input;
    private boolean endOfInput;
    private boolean paused;
    private boolean processing;
    private boolean processAgain;
    /** Whether a byte ever came: the silent are displaced first. */
    private boolean spoke;

    Intake(Connection owner, Reactor reactor, Endpoint socket, Deadlines deadlines, InetAddress address) {
        this.owner = owner;
        this.reactor = reactor;
        this.socket = socket;
        this.deadlines = deadlines;
        this.input = new Input(reactor.buffers(), address);
    }

    boolean ended() {
        return endOfInput;
    }

    boolean paused() {
        return paused;
    }

    /** Whether the input waits on us, not on the peer: paused by the session, or in line for room. */
    boolean held() {
        return paused || input.waiting();
    }

    /** Whether the socket may be read, as far as the input goes: not past its end, and with room. */
    boolean mayRead() {
        return !endOfInput && input.roomToRead();
    }

    /** Reads what the socket has. */
    void read(long now) throws IOException {
        int n = socket.read(input.forReading());
        if (n < 0) {
            endOfInput = true;
        } else if (n > 0) {
            deadlines.read(n, now);
            if (!spoke) {
                spoke = true;
                owner.spoke();
            }
        }
    }

    /** Hands the buffered input to the connection, and again as long as the session asks for it. */
    void process(long now) {
        if (processing) {
            processAgain = true;
            return;
        }
        if (owner.isClosed() || input.waiting()) {
            return; // a starved session said already that the request at the head needs room: nothing to do until it has it
        }
        processing = true;
        try {
            ByteBuffer in = input.buffer() == null ? NO_INPUT : input.buffer().flip();
            do {
                processAgain = false;
                int before = in.position();
                owner.passInput(in);
                if (in.position() != before) {
                    deadlines.noRequestArriving(); // a request was used: the deadline is the next one's
                }
            } while (processAgain && owner.isOpen() && !paused);
            boolean onUs = owner.turnOver();
            if (!in.hasRemaining() || paused || onUs) {
                deadlines.noRequestArriving(); // nothing arriving, or waiting on us, not on the peer
            } else {
                deadlines.requestArriving(now, in.remaining());
            }
            if (input.buffer() != null && input.settle(owner, !owner.isClosed())) {
                reactor.bufferReturned();
            }
            if (input.waiting() && owner.standing() == Standing.AUTHENTICATED) {
                deadlines.noRequestArriving(); // waiting on us, not on the peer; a guest's request deadline runs on
            }
            owner.updateInterest();
        } finally {
            processing = false;
        }
    }

    /** The request at the head of the input is {@code bytes} long. */
    void want(int bytes) {
        input.want(bytes);
    }

    /** The session holds the input it has: read no more, and do not count the wait against the peer. */
    void pause() {
        paused = true;
        deadlines.noRequestArriving();
    }

    /** The session is ready for more: it is handed the input it left, in this same turn. */
    void resume() {
        if (paused) {
            paused = false;
            reactor.resume(owner);
        }
    }

    /** The large buffer it waited for, lent to a peer of {@code standing}: what the small one held moves in. */
    void fed(ByteBuffer large, Standing standing) {
        input.fed(large, standing);
        deadlines.requestArriving(reactor.now(), large.position());
    }

    /** Nothing more is read: the buffer goes back, now or, if the session holds it, once it lets go. */
    void drop() {
        if (!processing && input.release()) {
            reactor.bufferReturned();
        }
    }
}
