package ar.loteria.central.store;

import java.util.ArrayDeque;

/**
 * Byte arrays for the batches in flight: a batch's payload and its rows, taken by the reactor and
 * the workers, given back by the journal once their group is published, and lent again. Under
 * load they were half of what the central allocated, and the ones in flight outgrew the young
 * generation's survivor spaces, to be promoted and die in the old one (BENCHMARKS.md). Arrays
 * come in powers of two from 128 bytes (a batch of one bet) to 64 KiB; at most {@code keptBytes}
 * of them wait idle, a burst's worth, so the pool never holds memory the central would not use.
 * Any thread.
 */
final class ArrayPool {
    private static final int MIN_SHIFT = 7;
    private static final int MAX_SHIFT = 16;

    private final long keptBytes;
    private final ArrayDeque<byte[]>[] idle;
    private long kept;

    @SuppressWarnings("unchecked")
    ArrayPool(long keptBytes) {
        this.keptBytes = keptBytes;
        this.idle = new ArrayDeque[MAX_SHIFT - MIN_SHIFT + 1];
        for (int i = 0; i < idle.length; i++) {
            idle[i] = new ArrayDeque<>();
        }
    }

    /** The length of the array {@link #take} gives for {@code length} bytes. */
    static int capacity(int length) {
        int shift = shiftFor(length);
        return shift > MAX_SHIFT ? length : 1 << shift;
    }

    /** An array of {@link #capacity} bytes, holding whatever it held before. */
    byte[] take(int length) {
        int shift = shiftFor(length);
        if (shift > MAX_SHIFT) {
            return new byte[length];
        }
        byte[] array;
        synchronized (this) {
            array = idle[shift - MIN_SHIFT].poll();
            if (array != null) {
                kept -= array.length;
            }
        }
        return array != null ? array : new byte[1 << shift];
    }

    private static int shiftFor(int length) {
        return Math.max(MIN_SHIFT, 32 - Integer.numberOfLeadingZeros(Math.max(length, 1) - 1));
    }

    /** Gives back an array that nobody reads or writes any more: kept if it is one of the pool's sizes and there is room. */
    void give(byte[] array) {
        int length = array.length;
        if (Integer.bitCount(length) != 1 || length < 1 << MIN_SHIFT || length > 1 << MAX_SHIFT) {
            return;
        }
        synchronized (this) {
            if (kept + length <= keptBytes) {
                idle[Integer.numberOfTrailingZeros(length) - MIN_SHIFT].push(array);
                kept += length;
            }
        }
    }
}
