package ar.loteria.central.session;

import ar.loteria.central.reactor.Connection;
import ar.loteria.central.reactor.Session;
import ar.loteria.wire.Cut;
import ar.loteria.wire.Decoded;
import ar.loteria.wire.FrameDecoder;
import ar.loteria.wire.WireError;
import java.nio.ByteBuffer;

/**
 * A session that speaks frames: it owns the decode loop, so that a subclass only handles whole
 * frames. It cuts frames while the session takes requests and the peer reads its replies; when
 * the session takes no more it pauses the input (a full pipeline is not a slow peer), and
 * {@link #resume} hands it back.
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
            Cut cut = FrameDecoder.cut(input);
            if (cut == null) {
                if (endOfInput) {
                    peerClosed(); // a frame cut short by the close is dropped: nothing of it was used
                    input.position(input.limit());
                }
                return;
            }
            if (cut instanceof Decoded.Malformed malformed) {
                input.position(input.limit()); // nothing after a broken header can be trusted
                fail(malformed.error());
                return;
            }
            frame((Cut.Whole) cut);
        }
    }

    /** Hands the session the input it left when it took no more requests. */
    protected final void resume() {
        connection.resumeInput();
    }

    /** Whether the session takes another request now. */
    protected abstract boolean takesRequests();

    /** One whole frame; its payload is valid only during the call. */
    protected abstract void frame(Cut.Whole frame);

    /** The peer broke the protocol: tell it why and close. */
    protected abstract void fail(WireError error);

    /** The peer closed its side; no whole frame is left. */
    protected abstract void peerClosed();
}
