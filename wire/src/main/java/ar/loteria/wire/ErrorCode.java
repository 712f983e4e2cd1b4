package ar.loteria.wire;

/** Every error the protocol can report, with its one-byte code on the wire. */
public enum ErrorCode {
    // The header: the stream can no longer be trusted.
    BAD_MAGIC(0x01),
    UNSUPPORTED_VERSION(0x02),
    UNKNOWN_TYPE(0x03),
    FRAME_TOO_LARGE(0x04),
    // The payload's structure.
    TRUNCATED(0x05),
    TRAILING_BYTES(0x06),
    INVALID_UTF8(0x07),
    INVALID_FIELD(0x08),
    // The values of a bet or a batch.
    INVALID_NAME(0x10),
    INVALID_DOCUMENT(0x11),
    INVALID_BIRTHDATE(0x12),
    INVALID_NUMBER(0x13),
    EMPTY_BATCH(0x14),
    // The central's session rules.
    NOT_IDENTIFIED(0x20),
    /** Reserved (PROTOCOL.md): a HELLO for an agency that does not exist fails at its PROOF, as a wrong key does. */
    UNKNOWN_AGENCY(0x21),
    UNEXPECTED_MESSAGE(0x22),
    OFFSET_GAP(0x23),
    OFFSET_MISMATCH(0x24),
    BETS_CLOSED(0x25),
    // 0x26 is reserved (PROTOCOL.md): once STORE_FAILURE, never sent; a draw that cannot read its disk stops the central.
    SHUTTING_DOWN(0x27),
    AUTH_FAILED(0x28),
    /** A newer authenticated connection of the same agency took over this one. */
    REPLACED(0x29);

    private static final ErrorCode[] BY_CODE = new ErrorCode[256];

    static {
        for (ErrorCode c : values()) {
            BY_CODE[c.code] = c;
        }
    }

    private final int code;

    ErrorCode(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** The error with this wire code, or null when the code is not defined. */
    public static ErrorCode fromCode(int code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }
}
