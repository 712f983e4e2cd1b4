package ar.loteria.wire;

import java.util.Objects;

/**
 * A typed protocol error: what went wrong, and a short human reason.
 *
 * <p>A reason travels as a one-byte-length string, so it is cut to at most 255 UTF-8 bytes,
 * at a character boundary.
 */
public record WireError(ErrorCode code, String reason) {
    public static final int MAX_REASON_BYTES = 255;

    public WireError {
        Objects.requireNonNull(code, "code");
        reason = Utf8.truncate(Objects.requireNonNull(reason, "reason"), MAX_REASON_BYTES);
    }

    @Override
    public String toString() {
        return code + ": " + reason;
    }
}
