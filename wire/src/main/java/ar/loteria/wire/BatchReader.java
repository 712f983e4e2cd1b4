package ar.loteria.wire;

import java.nio.ByteBuffer;
import java.time.LocalDate;

/**
 * Reads the bets of a BET_BATCH payload where they lie, checking every field by {@link BetRules}
 * and handing each valid bet to a {@link Sink} as positions in the payload: no String, no object
 * per bet. The decoder makes {@link Bet}s with it; the central writes CSV rows with it.
 *
 * <pre>
 * payload: u64 first offset | u16 count | count × bet
 * bet:     str8 first name | str8 last name | str8 document | 10 bytes birthdate | u16 number
 * </pre>
 */
public final class BatchReader {
    /** The payload before the bets: first offset (u64) and count (u16). */
    public static final int PREFIX_BYTES = 8 + 2;

    /** Where one valid bet's fields lie in the payload array. */
    public interface Sink {
        void bet(byte[] b, int first, int firstLength, int last, int lastLength, int document, int documentLength, int birthdate, int number);
    }

    /** What a payload held: its offset and count, and the first broken rule (null when every bet is valid). */
    public record Result(long firstOffset, int count, WireError error) {
        public boolean valid() {
            return error == null;
        }
    }

    private BatchReader() {
    }

    /**
     * The prefix of the payload: null when it is too short to hold one, or names an offset out of
     * range; then the frame is malformed, not merely an invalid batch.
     */
    public static WireError checkPrefix(byte[] b, int off, int len) {
        if (len < PREFIX_BYTES) {
            return new WireError(ErrorCode.TRUNCATED, "first offset and count need " + PREFIX_BYTES + " bytes, " + len + " in the frame");
        }
        long first = u64(b, off);
        if (first < 0 || first > Message.MAX_OFFSET) {
            return new WireError(ErrorCode.INVALID_FIELD, "first offset out of range: " + Long.toUnsignedString(first));
        }
        return null;
    }

    /** {@link #checkPrefix(byte[], int, int)} of the buffer's remaining bytes, which it leaves where they are. */
    public static WireError checkPrefix(ByteBuffer payload) {
        if (payload.hasArray()) {
            return checkPrefix(payload.array(), payload.arrayOffset() + payload.position(), payload.remaining());
        }
        byte[] prefix = new byte[Math.min(payload.remaining(), PREFIX_BYTES)]; // all the check reads
        payload.get(payload.position(), prefix);
        return checkPrefix(prefix, 0, payload.remaining());
    }

    /**
     * Reads the {@code len} bytes of payload at {@code off}, whose prefix passed
     * {@link #checkPrefix}. Bets go to {@code sink} as they are found valid; a broken rule stops
     * the reading, so a caller must drop what the sink got when the result is not valid.
     */
    public static Result read(byte[] b, int off, int len, LocalDate today, Sink sink) {
        long first = u64(b, off);
        int count = (b[off + 8] & 0xFF) << 8 | b[off + 9] & 0xFF;
        WireError error = count == 0 ? new WireError(ErrorCode.EMPTY_BATCH, "a batch holds at least one bet")
                : readBets(b, off + PREFIX_BYTES, off + len, count, today, sink);
        return new Result(first, count, error);
    }

    private static WireError readBets(byte[] b, int pos, int end, int count, LocalDate today, Sink sink) {
        for (int i = 1; i <= count; i++) {
            int first = pos + 1;
            int firstLength = strLength(b, pos, end);
            if (firstLength < 0) {
                return truncated(b, i, "first name", pos, end);
            }
            pos = first + firstLength;
            int last = pos + 1;
            int lastLength = strLength(b, pos, end);
            if (lastLength < 0) {
                return truncated(b, i, "last name", pos, end);
            }
            pos = last + lastLength;
            int document = pos + 1;
            int documentLength = strLength(b, pos, end);
            if (documentLength < 0) {
                return truncated(b, i, "document", pos, end);
            }
            pos = document + documentLength;
            int birthdate = pos;
            if (end - pos < BetRules.BIRTHDATE_LENGTH + 2) {
                return new WireError(ErrorCode.TRUNCATED, "bet " + i + ": birthdate and number need 12 bytes, " + (end - pos) + " left in the frame");
            }
            pos += BetRules.BIRTHDATE_LENGTH;
            int number = (b[pos] & 0xFF) << 8 | b[pos + 1] & 0xFF;
            pos += 2;
            WireError broken = BetRules.checkName("first name", b, first, firstLength);
            if (broken == null) {
                broken = BetRules.checkName("last name", b, last, lastLength);
            }
            if (broken == null) {
                broken = Utf8.isValid(b, document, documentLength) ? BetRules.checkDocument(b, document, documentLength)
                        : new WireError(ErrorCode.INVALID_UTF8, "document is not valid UTF-8");
            }
            if (broken == null) {
                broken = BetRules.checkBirthdate(b, birthdate, today);
            }
            if (broken == null) {
                broken = BetRules.checkNumber(number);
            }
            if (broken != null) {
                return new WireError(broken.code(), "bet " + i + ": " + broken.reason());
            }
            sink.bet(b, first, firstLength, last, lastLength, document, documentLength, birthdate, number);
        }
        if (pos != end) {
            return new WireError(ErrorCode.TRAILING_BYTES, (end - pos) + " bytes left over at the end of BET_BATCH");
        }
        return null;
    }

    /** The length of the str8 at {@code pos}, or -1 when it does not fit before {@code end}. */
    private static int strLength(byte[] b, int pos, int end) {
        if (pos >= end) {
            return -1;
        }
        int length = b[pos] & 0xFF;
        return end - pos - 1 >= length ? length : -1;
    }

    private static WireError truncated(byte[] b, int bet, String field, int pos, int end) {
        String what = pos >= end ? field + " length needs 1 bytes, 0" : field + " needs " + (b[pos] & 0xFF) + " bytes, " + (end - pos - 1);
        return new WireError(ErrorCode.TRUNCATED, "bet " + bet + ": " + what + " left in the frame");
    }

    static long u64(byte[] b, int off) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = v << 8 | b[off + i] & 0xFF;
        }
        return v;
    }
}
