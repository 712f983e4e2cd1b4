package ar.loteria.central.reactor;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;

/**
 * Input buffers, lent to a connection only while it holds unprocessed bytes: ten thousand
 * quiet connections hold none. A few stay in reserve; the rest go back to the heap. Reactor
 * thread only.
 */
final class BufferPool {
    private final int bufferBytes;
    private final int maxIdle;
    private final ArrayDeque<ByteBuffer> idle = new ArrayDeque<>();

    BufferPool(int bufferBytes, int maxIdle) {
        this.bufferBytes = bufferBytes;
        this.maxIdle = maxIdle;
    }

    ByteBuffer acquire() {
        ByteBuffer b = idle.poll();
        return b != null ? b.clear() : ByteBuffer.allocate(bufferBytes);
    }

    void release(ByteBuffer b) {
        if (idle.size() < maxIdle) {
            idle.push(b.clear());
        }
    }
}
