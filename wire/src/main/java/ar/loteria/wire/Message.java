package ar.loteria.wire;

/** A protocol message: an agency's request or the central's reply. */
public sealed interface Message permits AgencyMessage, CentralMessage {
    MessageType type();

    /**
     * The range of a bet offset: a u64 on the wire, of which the protocol uses the lower 63 bits,
     * so that an offset and a count never overflow a Java {@code long}.
     */
    long MAX_OFFSET = Long.MAX_VALUE - 0xFFFF;

    static long requireOffset(long offset) {
        if (offset < 0 || offset > MAX_OFFSET) {
            throw new IllegalArgumentException("bet offset out of range: " + offset);
        }
        return offset;
    }
}
