package ar.loteria.wire;

/**
 * The layout every frame shares: a five-byte header, then the payload.
 *
 * <pre>
 *   offset 0  u8   magic 0xF5
 *   offset 1  u8   protocol version (2)
 *   offset 2  u8   message type
 *   offset 3  u16  payload length, big-endian
 * </pre>
 *
 * <p>0xF5 can never start printable ASCII nor any valid UTF-8 text, so the central tells a
 * protocol peer from a plain-text (echo) peer by the first byte of the connection.
 */
public final class Frame {
    public static final byte MAGIC = (byte) 0xF5;
    public static final int VERSION = 2;
    public static final int HEADER_BYTES = 5;
    public static final int MAX_FRAME_BYTES = 8192;
    public static final int MAX_PAYLOAD_BYTES = MAX_FRAME_BYTES - HEADER_BYTES;

    private Frame() {
    }

    /** Whether a connection whose first byte is {@code first} speaks this protocol. */
    public static boolean isFrameStart(byte first) {
        return first == MAGIC;
    }
}
