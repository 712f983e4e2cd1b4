package ar.loteria.wire;

/** Thrown by the encoder instead of writing a frame over {@link Frame#MAX_FRAME_BYTES}. */
public final class FrameTooLargeException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final int frameBytes;

    public FrameTooLargeException(MessageType type, int frameBytes) {
        super(type + " frame would be " + frameBytes + " bytes; a frame holds at most " + Frame.MAX_FRAME_BYTES);
        this.frameBytes = frameBytes;
    }

    public int frameBytes() {
        return frameBytes;
    }
}
