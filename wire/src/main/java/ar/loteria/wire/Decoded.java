package ar.loteria.wire;

/** What the decoder made of one frame. */
public sealed interface Decoded {

    /** A well-formed message. */
    record Valid(Message message) implements Decoded {
    }

    /**
     * A well-framed batch that breaks a rule. It is rejected whole: none of its bets may be
     * stored. The frame was consumed, so the stream is still in step.
     */
    record InvalidBatch(long firstOffset, int count, WireError error) implements Decoded {
    }

    /** Bytes that are not a valid frame of this protocol. Report the error and close: nothing after it can be trusted. */
    record Malformed(WireError error) implements Decoded, Cut {
    }
}
