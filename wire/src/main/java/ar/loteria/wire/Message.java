package ar.loteria.wire;

/** A protocol message: an agency's request or the central's reply. */
public sealed interface Message permits AgencyMessage, CentralMessage {
    MessageType type();

    /** The range of a sequence number: an unsigned 32-bit integer. */
    long MAX_SEQUENCE = 0xFFFF_FFFFL;

    static long requireSequence(long sequence) {
        if (sequence < 0 || sequence > MAX_SEQUENCE) {
            throw new IllegalArgumentException("sequence out of u32 range: " + sequence);
        }
        return sequence;
    }
}
