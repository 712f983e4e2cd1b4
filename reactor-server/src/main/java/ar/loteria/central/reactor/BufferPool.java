package ar.loteria.central.reactor;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;

/**
 * Input buffers, lent to a connection only while it holds unprocessed bytes: ten thousand quiet
 * connections hold none. All the buffers lent at once stay within a budget, whatever the number
 * of connections: past it a connection is not read (its peer waits, as TCP makes it) until a
 * buffer comes back. A few buffers stay in reserve; the rest go back to the heap. Reactor thread
 * only.
 */
final class BufferPool {
    private final int bufferBytes;
    private final int maxIdle;
    private final long budget;
    private final ArrayDeque<ByteBuffer> idle = new ArrayDeque<>();
    private long lent;

    /** {@code budget}: the bytes all lent buffers may hold at once. */
    BufferPool(int bufferBytes, int maxIdle, long budget) {
        this.bufferBytes = bufferBytes;
        this.maxIdle = maxIdle;
        this.budget = Math.max(budget, bufferBytes);
    }

    /** A cleared buffer, or null when the budget is spent. */
    ByteBuffer acquire() {
        if (lent + bufferBytes > budget) {
            return null;
        }
        lent += bufferBytes;
        ByteBuffer b = idle.poll();
        return b != null ? b.clear() : ByteBuffer.allocate(bufferBytes);
    }

    void release(ByteBuffer b) {
        lent -= bufferBytes;
        if (idle.size() < maxIdle) {
            idle.push(b.clear());
        }
    }

    /** Whether a buffer could be lent now. */
    boolean available() {
        return lent + bufferBytes <= budget;
    }
}
