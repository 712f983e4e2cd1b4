package ar.loteria.wire;

import java.nio.ByteBuffer;

/**
 * Builds one BET_BATCH frame bet by bet, from bytes the caller already checked by
 * {@link BetRules}: the agency's fast path from its file to the wire, with no object per bet.
 * Reused from one batch to the next. Not thread-safe.
 */
public final class BatchWriter {
    private final ByteBuffer frame = ByteBuffer.allocate(Frame.MAX_FRAME_BYTES);
    private long firstOffset;
    private int count;

    /** The bytes a bet takes in a batch payload, by the UTF-8 lengths of its three strings. */
    public static int betBytes(int firstLength, int lastLength, int documentLength) {
        return 1 + firstLength + 1 + lastLength + 1 + documentLength + BetRules.BIRTHDATE_LENGTH + 2;
    }

    /** Starts a batch whose first bet is the agency's {@code firstOffset}-th. */
    public void begin(long firstOffset) {
        this.firstOffset = Message.requireOffset(firstOffset);
        count = 0;
        frame.clear().position(Frame.HEADER_BYTES + BatchReader.PREFIX_BYTES);
    }

    /** Whether one more bet of {@code betBytes} bytes fits in the frame. */
    public boolean fits(int betBytes) {
        return count < 0xFFFF && frame.remaining() >= betBytes;
    }

    /** Adds a bet; its fields are ranges of {@code b}, the birthdate its ten bytes at {@code birthdate}. */
    public void add(byte[] b, int first, int firstLength, int last, int lastLength, int document, int documentLength, int birthdate, int number) {
        if (!fits(betBytes(firstLength, lastLength, documentLength))) {
            throw new FrameTooLargeException(MessageType.BET_BATCH, frame.position() + betBytes(firstLength, lastLength, documentLength));
        }
        frame.put((byte) firstLength).put(b, first, firstLength);
        frame.put((byte) lastLength).put(b, last, lastLength);
        frame.put((byte) documentLength).put(b, document, documentLength);
        frame.put(b, birthdate, BetRules.BIRTHDATE_LENGTH);
        frame.putShort((short) number);
        count++;
    }

    public int count() {
        return count;
    }

    public long firstOffset() {
        return firstOffset;
    }

    /** The frame, ready to be written; valid until the next {@link #begin}. */
    public ByteBuffer finish() {
        int end = frame.position();
        frame.put(0, Frame.MAGIC).put(1, (byte) Frame.VERSION).put(2, (byte) MessageType.BET_BATCH.code())
                .putShort(3, (short) (end - Frame.HEADER_BYTES))
                .putLong(Frame.HEADER_BYTES, firstOffset).putShort(Frame.HEADER_BYTES + 8, (short) count);
        return frame.duplicate().position(0).limit(end);
    }
}
