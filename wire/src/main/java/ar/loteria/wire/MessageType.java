package ar.loteria.wire;

/** The message types and their one-byte codes: agency requests below 0x80, central replies above. */
public enum MessageType {
    HELLO(0x01),
    BET_BATCH(0x02),
    ALL_SENT(0x03),
    WINNERS_QUERY(0x04),
    PROOF(0x05),
    BATCH_ACCEPTED(0x81),
    BATCH_REJECTED(0x82),
    WINNERS(0x83),
    FAILURE(0x84),
    CHALLENGE(0x85),
    WELCOME(0x86);

    private static final MessageType[] BY_CODE = new MessageType[256];

    static {
        for (MessageType t : values()) {
            BY_CODE[t.code] = t;
        }
    }

    private final int code;

    MessageType(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** Whether an agency sends it (the central sends the others). */
    public boolean fromAgency() {
        return code < 0x80;
    }

    /** The type with this wire code, or null when the code is not defined. */
    public static MessageType fromCode(int code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }
}
