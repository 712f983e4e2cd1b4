package ar.loteria.wire;

import java.nio.ByteBuffer;

/**
 * Builds one BET_BATCH frame bet by bet, from bytes the caller already checked by
 * {@link BetRules}: the agency's fast path from its file to the wire, with no object per bet.
 * Reused from one batch to the next. Not thread-safe.
 */
public final class BatchWriter {
    /** A plain array, not a ByteBuffer: each bet is a few copies, with no per-put checks in the agency's C1 code. */
    private final byte[] frame = new byte[Frame.MAX_FRAME_BYTES];
    private int position;
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
        position = Frame.HEADER_BYTES + BatchReader.PREFIX_BYTES;
    }

    /** Whether one more bet of {@code betBytes} bytes fits in the frame. */
    public boolean fits(int betBytes) {
        return count < 0xFFFF && frame.length - position >= betBytes;
    }

    /** Adds a bet; its fields are ranges of {@code b}, the birthdate its ten bytes at {@code birthdate}. */
    public void add(byte[] b, int first, int firstLength, int last, int lastLength, int document, int documentLength, int birthdate, int number) {
        if (!fits(betBytes(firstLength, lastLength, documentLength))) {
            throw new FrameTooLargeException(MessageType.BET_BATCH, position + betBytes(firstLength, lastLength, documentLength));
        }
        int at = text(b, first, firstLength, position);
        at = text(b, last, lastLength, at);
        at = text(b, document, documentLength, at);
        System.arraycopy(b, birthdate, frame, at, BetRules.BIRTHDATE_LENGTH);
        at += BetRules.BIRTHDATE_LENGTH;
        frame[at] = (byte) (number >> 8);
        frame[at + 1] = (byte) number;
        position = at + 2;
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
        ByteBuffer.wrap(frame).put(0, Frame.MAGIC).put(1, (byte) Frame.VERSION).put(2, (byte) MessageType.BET_BATCH.code())
                .putShort(3, (short) (position - Frame.HEADER_BYTES))
                .putLong(Frame.HEADER_BYTES, firstOffset).putShort(Frame.HEADER_BYTES + 8, (short) count);
        return ByteBuffer.wrap(frame, 0, position);
    }

    /** A {@code str8}: its length, then its bytes; where the next field starts. */
    private int text(byte[] b, int off, int len, int at) {
        frame[at] = (byte) len;
        System.arraycopy(b, off, frame, at + 1, len);
        return at + 1 + len;
    }
}
