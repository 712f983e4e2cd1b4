package ar.loteria.central.reactor;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.GatheringByteChannel;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Iterator;

/**
 * The replies owed to one peer, in order: buffers, and streams (long replies made only as fast as
 * the peer reads them). It counts the heap they hold, each entry's buffer plus a fixed overhead
 * for the objects around it, so that the high and low water marks bound real memory, not payload
 * bytes. Small replies are copied into one shared buffer, so a burst of them is one entry and one
 * write. Every byte counted is counted in the {@link OutputBudget} of all connections too.
 * Reactor thread only.
 */
final class Outbound {
    /** The heap an entry costs beside its buffer's array: the ByteBuffer, the deque slot, the array header. */
    static final int ENTRY_OVERHEAD = 96;
    static final int HIGH_WATER = 64 * 1024;
    static final int LOW_WATER = 32 * 1024;
    /**
     * Replies up to this size are coalesced. A coalescing buffer starts small, as ten thousand
     * connections may each hold one, and the next one of a burst is twice as big, up to 8 KiB.
     */
    static final int SMALL = 512;
    static final int FIRST_COALESCING_BYTES = 1024;
    static final int MAX_COALESCING_BYTES = 8 * 1024;
    private static final int GATHER = 16;

    /** ByteBuffers ready to read, and Iterators of them. */
    private final ArrayDeque<Object> queue = new ArrayDeque<>();
    private final ByteBuffer[] gather = new ByteBuffer[GATHER];
    /** The last entry while small replies are still being added to it, in write mode. */
    private ByteBuffer coalescing;
    private long charged;
    /** What all connections' replies hold: this one's share is charged there too. */
    private final OutputBudget budget;

    Outbound(OutputBudget budget) {
        this.budget = budget;
    }

    Outbound() {
        this(OutputBudget.unlimited());
    }

    void add(ByteBuffer reply) {
        int n = reply.remaining();
        if (n <= SMALL) {
            if (coalescing == null || coalescing.remaining() < n) {
                int size = coalescing == null ? FIRST_COALESCING_BYTES : Math.min(MAX_COALESCING_BYTES, 2 * coalescing.capacity());
                seal();
                coalescing = ByteBuffer.allocate(size);
                charge(size + ENTRY_OVERHEAD);
            }
            coalescing.put(reply);
            return;
        }
        seal();
        queue.add(reply);
        charge(reply.capacity() + ENTRY_OVERHEAD);
    }

    void add(Iterator<ByteBuffer> stream) {
        seal();
        queue.add(stream);
        charge(ENTRY_OVERHEAD);
    }

    boolean isEmpty() {
        return queue.isEmpty() && (coalescing == null || coalescing.position() == 0);
    }

    /** The heap held, as counted. */
    long charged() {
        return charged;
    }

    boolean aboveHighWater() {
        return charged >= HIGH_WATER;
    }

    boolean belowLowWater() {
        return charged <= LOW_WATER;
    }

    /**
     * Writes what {@code channel} takes, gathering up to 16 buffers per call. Returns the bytes
     * written.
     */
    long writeTo(GatheringByteChannel channel) throws IOException {
        seal();
        long total = 0;
        while (true) {
            int n = gatherReady();
            if (n == 0) {
                return total;
            }
            long written = channel.write(gather, 0, n);
            total += written;
            boolean drainedAll = true;
            for (int i = 0; i < n; i++) {
                if (gather[i].hasRemaining()) {
                    drainedAll = false;
                    break;
                }
                queue.poll();
                charge(-(gather[i].capacity() + ENTRY_OVERHEAD));
            }
            Arrays.fill(gather, 0, n, null);
            if (!drainedAll || written == 0) {
                return total;
            }
        }
    }

    /** Forgets everything: the connection is gone. */
    void clear() {
        queue.clear();
        coalescing = null;
        charge(-charged);
    }

    private void charge(long bytes) {
        charged += bytes;
        budget.charge(bytes);
    }

    /** Whether a stream is still being made: later replies wait behind it. */
    boolean streaming() {
        for (Object entry : queue) {
            if (entry instanceof Iterator) {
                return true;
            }
        }
        return false;
    }

    /**
     * Puts the leading ready buffers into {@link #gather}; their count. A stream at the head makes
     * its next buffer first: one at a time, so a long reply is never held whole.
     */
    private int gatherReady() {
        while (queue.peekFirst() instanceof Iterator) {
            @SuppressWarnings("unchecked")
            Iterator<ByteBuffer> stream = (Iterator<ByteBuffer>) queue.peekFirst();
            if (!stream.hasNext()) {
                queue.pollFirst();
                charge(-(ENTRY_OVERHEAD));
                continue;
            }
            ByteBuffer next = stream.next();
            queue.addFirst(next);
            charge(next.capacity() + ENTRY_OVERHEAD);
        }
        int n = 0;
        for (Object entry : queue) {
            if (n == GATHER || !(entry instanceof ByteBuffer buffer)) {
                break; // a stream behind ready buffers waits for them
            }
            gather[n++] = buffer;
        }
        return n;
    }

    /** Closes the coalescing buffer to more replies and queues it, ready to read. */
    private void seal() {
        if (coalescing != null) {
            if (coalescing.position() > 0) {
                queue.add(coalescing.flip());
            } else {
                charge(-(coalescing.capacity() + ENTRY_OVERHEAD));
            }
            coalescing = null;
        }
    }
}
