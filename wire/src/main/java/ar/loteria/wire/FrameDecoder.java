package ar.loteria.wire;

import ar.loteria.wire.AgencyMessage.AllSent;
import ar.loteria.wire.AgencyMessage.BetBatch;
import ar.loteria.wire.AgencyMessage.Hello;
import ar.loteria.wire.AgencyMessage.WinnersQuery;
import ar.loteria.wire.CentralMessage.BatchAccepted;
import ar.loteria.wire.CentralMessage.BatchRejected;
import ar.loteria.wire.CentralMessage.Failure;
import ar.loteria.wire.CentralMessage.Winners;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Turns bytes into messages, one frame at a time, as they arrive.
 *
 * <p>The caller accumulates what it reads in a buffer and calls {@link #decode} after every
 * read. A frame split anywhere simply yields null until its last byte is there; many frames in
 * one buffer come out one per call. The decoder never reads past the frame it decodes, never
 * allocates for a frame before its header is checked, and never lets an exception escape:
 * every problem is a typed {@link WireError}.
 *
 * <p>Not thread-safe: one decoder per connection.
 */
public final class FrameDecoder {
    private final Clock clock;
    private final byte[] scratch = new byte[0xFF];

    /** {@code clock} says what "today" is, since a birthdate must not be in the future. */
    public FrameDecoder(Clock clock) {
        this.clock = clock;
    }

    public FrameDecoder() {
        this(Clock.systemDefaultZone());
    }

    /**
     * Decodes the frame at {@code in}'s position.
     *
     * @return null, consuming nothing, while the frame is incomplete; otherwise the result, with
     *     exactly that frame consumed (a {@link Decoded.Malformed} header consumes nothing, as
     *     the stream is then beyond repair)
     */
    public Decoded decode(ByteBuffer in) {
        int start = in.position();
        int available = in.remaining();
        // Check each header byte as soon as it arrives, so garbage fails fast.
        if (available >= 1 && in.get(start) != Frame.MAGIC) {
            return malformed(ErrorCode.BAD_MAGIC, String.format("frame starts with 0x%02X, not 0x%02X", in.get(start), Frame.MAGIC));
        }
        if (available >= 2 && (in.get(start + 1) & 0xFF) != Frame.VERSION) {
            return malformed(ErrorCode.UNSUPPORTED_VERSION, "protocol version " + (in.get(start + 1) & 0xFF) + " is not supported; this side speaks " + Frame.VERSION);
        }
        MessageType type = null;
        if (available >= 3) {
            int code = in.get(start + 2) & 0xFF;
            type = MessageType.fromCode(code);
            if (type == null) {
                return malformed(ErrorCode.UNKNOWN_TYPE, String.format("unknown message type 0x%02X", code));
            }
        }
        if (available < Frame.HEADER_BYTES) {
            return null;
        }
        int length = in.getShort(start + 3) & 0xFFFF;
        if (length > Frame.MAX_PAYLOAD_BYTES) {
            return malformed(ErrorCode.FRAME_TOO_LARGE, "payload of " + length + " bytes; a frame holds at most " + Frame.MAX_PAYLOAD_BYTES);
        }
        if (available < Frame.HEADER_BYTES + length) {
            return null;
        }
        int payload = start + Frame.HEADER_BYTES;
        in.position(payload + length);
        return decodePayload(type, new Cursor(in, payload, payload + length));
    }

    private Decoded decodePayload(MessageType type, Cursor c) {
        try {
            Message message;
            switch (type) {
                case HELLO:
                    message = new Hello(c.u16("agency"));
                    break;
                case BET_BATCH:
                    return decodeBatch(c);
                case ALL_SENT:
                    message = new AllSent(c.u32("last sequence"));
                    break;
                case WINNERS_QUERY:
                    message = new WinnersQuery();
                    break;
                case BATCH_ACCEPTED:
                    message = new BatchAccepted(c.u32("sequence"), c.u16("count"));
                    break;
                case BATCH_REJECTED:
                    message = new BatchRejected(c.u32("sequence"), c.error());
                    break;
                case WINNERS:
                    message = decodeWinners(c);
                    break;
                case FAILURE:
                    message = new Failure(c.error());
                    break;
                default:
                    throw new AssertionError(type);
            }
            c.expectEnd(type.name());
            return new Decoded.Valid(message);
        } catch (Fault f) {
            return new Decoded.Malformed(f.error);
        }
    }

    private Decoded decodeBatch(Cursor c) throws Fault {
        long sequence = c.u32("sequence");
        int count = c.u16("bet count");
        try {
            if (sequence == 0) {
                throw new Fault(ErrorCode.INVALID_SEQUENCE, "batch sequence numbers start at 1");
            }
            if (count == 0) {
                throw new Fault(ErrorCode.EMPTY_BATCH, "a batch holds at least one bet");
            }
            LocalDate today = LocalDate.now(clock);
            List<Bet> bets = new ArrayList<>(Math.min(count, c.remaining() / FrameEncoder.MIN_BET_BYTES)); // not what a peer claims
            for (int i = 1; i <= count; i++) {
                c.bet = i;
                Bet bet = new Bet(c.str8("first name"), c.str8("last name"), c.str8("document"),
                        c.latin1(BetRules.BIRTHDATE_LENGTH, "birthdate"), c.u16("number"));
                Optional<WireError> broken = BetRules.check(bet, today);
                if (broken.isPresent()) {
                    throw new Fault(broken.get().code(), "bet " + i + ": " + broken.get().reason());
                }
                bets.add(bet);
            }
            c.bet = 0;
            c.expectEnd("BET_BATCH");
            return new Decoded.Valid(new BetBatch(sequence, bets));
        } catch (Fault f) {
            return new Decoded.InvalidBatch(sequence, count, f.error);
        }
    }

    private static Winners decodeWinners(Cursor c) throws Fault {
        int flags = c.u8("flags");
        if ((flags & ~1) != 0) {
            throw new Fault(ErrorCode.INVALID_FIELD, String.format("unknown winners flags 0x%02X", flags));
        }
        int count = c.u16("document count");
        List<String> documents = new ArrayList<>(Math.min(count, c.remaining()));
        for (int i = 0; i < count; i++) {
            String document = c.str8("document");
            Optional<WireError> broken = BetRules.checkDocument(document);
            if (broken.isPresent()) {
                throw new Fault(broken.get().code(), broken.get().reason());
            }
            documents.add(document);
        }
        return new Winners(documents, flags == 1);
    }

    private static Decoded malformed(ErrorCode code, String reason) {
        return new Decoded.Malformed(new WireError(code, reason));
    }

    /** A problem found in a payload; cheap, as it carries no stack trace. */
    private static final class Fault extends Exception {
        private static final long serialVersionUID = 1L;
        final transient WireError error;

        Fault(ErrorCode code, String reason) {
            super(reason, null, false, false);
            this.error = new WireError(code, reason);
        }
    }

    /** Reads one payload, and nothing beyond it. */
    private final class Cursor {
        private final ByteBuffer buf;
        private final int end;
        private int pos;
        /** The bet being read, named in errors; 0 outside bets. */
        int bet;

        Cursor(ByteBuffer buf, int pos, int end) {
            this.buf = buf;
            this.pos = pos;
            this.end = end;
        }

        int remaining() {
            return end - pos;
        }

        int u8(String field) throws Fault {
            need(1, field);
            return buf.get(pos++) & 0xFF;
        }

        int u16(String field) throws Fault {
            need(2, field);
            int v = buf.getShort(pos) & 0xFFFF;
            pos += 2;
            return v;
        }

        long u32(String field) throws Fault {
            need(4, field);
            long v = buf.getInt(pos) & 0xFFFF_FFFFL;
            pos += 4;
            return v;
        }

        /** A string: a u8 byte length, then that many bytes of strict UTF-8. */
        String str8(String field) throws Fault {
            int length = u8(field + " length");
            need(length, field);
            if (!Utf8.isValid(buf, pos, length)) {
                throw new Fault(ErrorCode.INVALID_UTF8, where(field) + " is not valid UTF-8");
            }
            String s = string(length, StandardCharsets.UTF_8);
            pos += length;
            return s;
        }

        /** A fixed-size field taken byte for character; rules on its content come later. */
        String latin1(int length, String field) throws Fault {
            need(length, field);
            String s = string(length, StandardCharsets.ISO_8859_1);
            pos += length;
            return s;
        }

        WireError error() throws Fault {
            int code = u8("error code");
            ErrorCode errorCode = ErrorCode.fromCode(code);
            if (errorCode == null) {
                throw new Fault(ErrorCode.INVALID_FIELD, String.format("unknown error code 0x%02X", code));
            }
            return new WireError(errorCode, str8("reason"));
        }

        void expectEnd(String what) throws Fault {
            if (pos != end) {
                throw new Fault(ErrorCode.TRAILING_BYTES, (end - pos) + " bytes left over at the end of " + what);
            }
        }

        private String string(int length, java.nio.charset.Charset charset) {
            if (buf.hasArray()) {
                return new String(buf.array(), buf.arrayOffset() + pos, length, charset);
            }
            buf.get(pos, scratch, 0, length);
            return new String(scratch, 0, length, charset);
        }

        private void need(int bytes, String field) throws Fault {
            if (end - pos < bytes) {
                throw new Fault(ErrorCode.TRUNCATED, where(field) + " needs " + bytes + " bytes, " + (end - pos) + " left in the frame");
            }
        }

        private String where(String field) {
            return bet > 0 ? "bet " + bet + ": " + field : field;
        }
    }
}
