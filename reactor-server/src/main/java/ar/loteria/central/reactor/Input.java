package ar.loteria.central.reactor;

import java.net.InetAddress;
import java.nio.ByteBuffer;

/**
 * One connection's input buffer: none while it holds nothing; a small one to read into; a large
 * one once the session asked for room for a request that does not fit, if the peer's standing
 * allows, else the connection waits in line for one ({@link InputBuffers}). Reactor thread only.
 */
final class Input {
    private final InputBuffers buffers;
    private final InetAddress address;
    private ByteBuffer buffer;
    /** The standing the large buffer was lent under, for its return; null for a small one. */
    private Standing lentAs;
    /** The size of the request at the head, when the session said it does not fit. */
    private int wanted;
    /** In line for a large buffer. */
    private boolean waiting;

    Input(InputBuffers buffers, InetAddress address) {
        this.buffers = buffers;
        this.address = address;
    }

    /** The buffer to read into, in write mode: a small one when none is lent. */
    ByteBuffer forReading() {
        if (buffer == null) {
            buffer = buffers.small();
        }
        return buffer;
    }

    /** The buffer lent, null when none is. */
    ByteBuffer buffer() {
        return buffer;
    }

    boolean roomToRead() {
        return !waiting && (buffer == null || buffer.hasRemaining());
    }

    boolean waiting() {
        return waiting;
    }

    void want(int bytes) {
        wanted = Math.max(wanted, bytes);
    }

    /**
     * After the session's turn, with the buffer in read mode: compacts it and gives it back if
     * empty, else makes the room the session asked for. Whether a large buffer came back.
     */
    boolean settle(Connection connection, boolean open) {
        int asked = wanted;
        wanted = 0;
        if (!open || buffer.compact().position() == 0) {
            return release();
        }
        if (asked > buffer.capacity() && !waiting) {
            ByteBuffer large = buffers.large(connection.standing(), address);
            if (large == null) {
                waiting = true;
                buffers.await(connection);
            } else {
                fed(large, connection.standing());
            }
        }
        return false;
    }

    /** The large buffer it asked for: what the small one held moves in. */
    void fed(ByteBuffer large, Standing standing) {
        waiting = false;
        large.put(buffer.flip());
        buffers.release(buffer, null, address);
        buffer = large;
        lentAs = standing;
    }

    /** Gives the buffer back, if any; whether it was a large one, which someone may be waiting for. */
    boolean release() {
        if (buffer == null) {
            return false;
        }
        boolean large = lentAs != null;
        buffers.release(buffer, lentAs, address);
        buffer = null;
        lentAs = null;
        return large;
    }
}
