package ar.loteria.central.session;

import ar.loteria.central.reactor.Connection;
import ar.loteria.central.reactor.Session;
import ar.loteria.wire.Cut;
import ar.loteria.wire.Decoded;
import ar.loteria.wire.Frame;
import ar.loteria.wire.FrameDecoder;
import ar.loteria.wire.MessageType;
import ar.loteria.wire.WireError;
import java.nio.ByteBuffer;

/**
 * A session that speaks frames: it owns the decode loop, so that a subclass only handles whole
 * frames. It cuts frames while the session takes requests and the peer reads its replies; when
 * the session takes no more, or cannot take the frame at hand yet, it pauses the input (a full
 * pipeline is not a slow peer), and {@link #resume} hands it back. Each frame is judged on its
 * header, before the rest of it is waited for ({@link #refuses}); one allowed and still arriving
 * gets room in the input for all of it.
 */
abstract class FrameSession implements Session {
    protected final Connection connection;

    FrameSession(Connection connection) {
        this.connection = connection;
    }

    @Override
    public final void onInput(ByteBuffer input, boolean endOfInput) {
        while (connection.isOpen() && connection.writable()) {
            if (!takesRequests()) {
                connection.pauseInput();
                return;
            }
            int start = input.position();
            Cut cut = FrameDecoder.cut(input);
            if (cut instanceof Decoded.Malformed malformed) {
                input.position(input.limit()); // nothing after a broken header can be trusted
                fail(malformed.error());
                return;
            }
            if (cut == null && input.remaining() < Frame.HEADER_BYTES) {
                if (endOfInput) {
                    peerClosed(); // a frame cut short by the close is dropped: nothing of it was used
                    input.position(input.limit());
                }
                return;
            }
            // A valid header is in (cut checked it), of a frame whole or still arriving.
            int frameBytes = Frame.HEADER_BYTES + (input.getShort(start + 3) & 0xFFFF);
            WireError refused = refuses(MessageType.fromCode(input.get(start + 2) & 0xFF), frameBytes);
            if (refused != null) {
                input.position(input.limit());
                fail(refused);
                return;
            }
            if (cut == null) {
                if (endOfInput) {
                    peerClosed();
                    input.position(input.limit());
                } else {
                    connection.needRoom(frameBytes);
                }
                return;
            }
            Cut.Whole whole = (Cut.Whole) cut;
            if (!admits(whole)) {
                input.position(start); // it stays at the head of the input, for the resume
                connection.pauseInput();
                return;
            }
            frame(whole);
        }
    }

    /** Hands the session the input it left when it took no more requests. */
    protected final void resume() {
        connection.resumeInput();
    }

    /** Whether the session takes another request now. */
    protected abstract boolean takesRequests();

    /**
     * Whether the session takes this whole frame now; if not, the frame stays in the input and the
     * session calls {@link #resume} when it will. What a request needs can be judged only once it is
     * there: a session that merely might send one must not hold anything for it.
     */
    protected boolean admits(Cut.Whole frame) {
        return true;
    }

    /**
     * Whether the session refuses a frame on its header alone, before the rest of it arrives: the
     * error to fail with, or null to wait for it (with room for all of it) and take it.
     */
    protected WireError refuses(MessageType type, int frameBytes) {
        return null;
    }

    /** One whole frame; its payload is valid only during the call. */
    protected abstract void frame(Cut.Whole frame);

    /** The peer broke the protocol: tell it why and close. */
    protected abstract void fail(WireError error);

    /** The peer closed its side; no whole frame is left. */
    protected abstract void peerClosed();
}
