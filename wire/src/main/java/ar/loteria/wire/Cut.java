package ar.loteria.wire;

import java.nio.ByteBuffer;

/** One frame cut from a byte stream, before its payload is read: see {@link FrameDecoder#cut}. */
public sealed interface Cut permits Cut.Whole, Decoded.Malformed {

    /** A frame with a valid header, whole. {@code payload} is a view of the caller's buffer: read it before reusing that. */
    record Whole(MessageType type, ByteBuffer payload) implements Cut {
    }
}
