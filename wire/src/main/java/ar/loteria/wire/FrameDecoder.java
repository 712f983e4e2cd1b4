package ar.loteria.wire;

import ar.loteria.wire.AgencyMessage.AllSent;
import ar.loteria.wire.AgencyMessage.BetBatch;
import ar.loteria.wire.AgencyMessage.Hello;
import ar.loteria.wire.AgencyMessage.Proof;
import ar.loteria.wire.AgencyMessage.WinnersQuery;
import ar.loteria.wire.CentralMessage.BatchAccepted;
import ar.loteria.wire.CentralMessage.BatchRejected;
import ar.loteria.wire.CentralMessage.Challenge;
import ar.loteria.wire.CentralMessage.Failure;
import ar.loteria.wire.CentralMessage.Welcome;
import ar.loteria.wire.CentralMessage.Winners;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns bytes into messages, one frame at a time, as they arrive.
 *
 * <p>The caller accumulates what it reads in a buffer and calls {@link #decode} after every
 * read. A frame split anywhere simply yields null until its last byte is there; many frames in
 * one buffer come out one per call. The decoder never reads past the frame it decodes, never
 * allocates for a frame before its header is checked, and never lets an exception escape:
 * every problem is a typed {@link WireError}.
 *
 * <p>{@link #cut} is the first half alone, for a caller that reads some payloads its own way.
 *
 * <p>Not thread-safe: one decoder per connection.
 */
public final class FrameDecoder {
    private final Clock clock;
    /** For payloads in direct buffers only; made when first needed, as a central holds a decoder per connection. */
    private byte[] scratch;

    /** {@code clock} says what "today" is (see {@link BetRules#today}), since a birthdate must not be in the future. */
    public FrameDecoder(Clock clock) {
        this.clock = clock;
    }

    public FrameDecoder() {
        this(Clock.systemUTC());
    }

    /**
     * Decodes the frame at {@code in}'s position.
     *
     * @return null, consuming nothing, while the frame is incomplete; otherwise the result, with
     *     exactly that frame consumed (a {@link Decoded.Malformed} header consumes nothing, as
     *     the stream is then beyond repair)
     */
    public Decoded decode(ByteBuffer in) {
        Cut cut = cut(in);
        if (cut instanceof Cut.Whole whole) {
            return decode(whole);
        }
        return (Decoded.Malformed) cut;
    }

    /**
     * Cuts the frame at {@code in}'s position without reading its payload: null, consuming
     * nothing, while it is incomplete; a {@link Decoded.Malformed} (consuming nothing) when its
     * header is wrong; else the frame, consumed. Each header byte is checked as soon as it
     * arrives, so garbage fails fast.
     */
    public static Cut cut(ByteBuffer in) {
        int start = in.position();
        int available = in.remaining();
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
        return new Cut.Whole(type, in.duplicate().position(payload).limit(payload + length).slice());
    }

    /** Reads a frame {@link #cut} returned. */
    public Decoded decode(Cut.Whole frame) {
        ByteBuffer p = frame.payload();
        byte[] bytes;
        int off;
        if (p.hasArray()) {
            bytes = p.array();
            off = p.arrayOffset() + p.position();
        } else {
            if (scratch == null) {
                scratch = new byte[Frame.MAX_PAYLOAD_BYTES];
            }
            p.duplicate().get(scratch, 0, p.remaining());
            bytes = scratch;
            off = 0;
        }
        if (frame.type() == MessageType.BET_BATCH) {
            return decodeBatch(bytes, off, p.remaining());
        }
        try {
            Cursor c = new Cursor(bytes, off, off + p.remaining());
            Message message = decodePayload(frame.type(), c);
            c.expectEnd(frame.type().name());
            return new Decoded.Valid(message);
        } catch (Fault f) {
            return new Decoded.Malformed(f.error);
        }
    }

    private static Message decodePayload(MessageType type, Cursor c) throws Fault {
        switch (type) {
            case HELLO:
                return new Hello(c.u16("agency"));
            case PROOF:
                return new Proof(c.bytes(Proof.BYTES, "proof"));
            case ALL_SENT:
                return new AllSent(c.offset("total"));
            case WINNERS_QUERY:
                return new WinnersQuery();
            case CHALLENGE:
                return new Challenge(c.bytes(Challenge.BYTES, "nonce"));
            case WELCOME:
                return new Welcome(c.offset("stored"), c.flag("welcome"));
            case BATCH_ACCEPTED:
                return new BatchAccepted(c.offset("first offset"), c.u16("count"), c.offset("stored"));
            case BATCH_REJECTED:
                return new BatchRejected(c.offset("first offset"), c.error());
            case WINNERS:
                return decodeWinners(c);
            case FAILURE:
                return new Failure(c.error());
            default:
                throw new AssertionError(type);
        }
    }

    private Decoded decodeBatch(byte[] b, int off, int len) {
        WireError prefix = BatchReader.checkPrefix(b, off, len);
        if (prefix != null) {
            return new Decoded.Malformed(prefix);
        }
        List<Bet> bets = new ArrayList<>(Math.min(b[off + 8] << 8 & 0xFF00 | b[off + 9] & 0xFF, len / FrameEncoder.MIN_BET_BYTES));
        BatchReader.Result result = BatchReader.read(b, off, len, BetRules.today(clock),
                (buf, first, firstLength, last, lastLength, document, documentLength, birthdate, number) -> bets.add(new Bet(
                        new String(buf, first, firstLength, StandardCharsets.UTF_8), new String(buf, last, lastLength, StandardCharsets.UTF_8),
                        new String(buf, document, documentLength, StandardCharsets.US_ASCII),
                        new String(buf, birthdate, BetRules.BIRTHDATE_LENGTH, StandardCharsets.US_ASCII), number)));
        if (!result.valid()) {
            return new Decoded.InvalidBatch(result.firstOffset(), result.count(), result.error());
        }
        return new Decoded.Valid(new BetBatch(result.firstOffset(), bets));
    }

    private static Winners decodeWinners(Cursor c) throws Fault {
        boolean last = c.flag("winners");
        int count = c.u16("document count");
        List<String> documents = new ArrayList<>(Math.min(count, c.remaining()));
        for (int i = 0; i < count; i++) {
            String document = c.str8("document");
            WireError broken = BetRules.checkDocument(document);
            if (broken != null) {
                throw new Fault(broken.code(), broken.reason());
            }
            documents.add(document);
        }
        return new Winners(documents, last);
    }

    private static Decoded.Malformed malformed(ErrorCode code, String reason) {
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
    private static final class Cursor {
        private final byte[] buf;
        private final int end;
        private int pos;

        Cursor(byte[] buf, int pos, int end) {
            this.buf = buf;
            this.pos = pos;
            this.end = end;
        }

        int remaining() {
            return end - pos;
        }

        int u8(String field) throws Fault {
            need(1, field);
            return buf[pos++] & 0xFF;
        }

        /** A u8 that is 0 or 1. */
        boolean flag(String field) throws Fault {
            int v = u8(field);
            if ((v & ~1) != 0) {
                throw new Fault(ErrorCode.INVALID_FIELD, String.format("unknown %s flags 0x%02X", field, v));
            }
            return v == 1;
        }

        int u16(String field) throws Fault {
            need(2, field);
            int v = (buf[pos] & 0xFF) << 8 | buf[pos + 1] & 0xFF;
            pos += 2;
            return v;
        }

        /** A u64 bet offset or count, in the range {@link Message#MAX_OFFSET} allows. */
        long offset(String field) throws Fault {
            need(8, field);
            long v = BatchReader.u64(buf, pos);
            if (v < 0 || v > Message.MAX_OFFSET) {
                throw new Fault(ErrorCode.INVALID_FIELD, field + " out of range: " + Long.toUnsignedString(v));
            }
            pos += 8;
            return v;
        }

        byte[] bytes(int length, String field) throws Fault {
            need(length, field);
            byte[] out = new byte[length];
            System.arraycopy(buf, pos, out, 0, length);
            pos += length;
            return out;
        }

        /** A string: a u8 byte length, then that many bytes of strict UTF-8. */
        String str8(String field) throws Fault {
            int length = u8(field + " length");
            need(length, field);
            if (!Utf8.isValid(buf, pos, length)) {
                throw new Fault(ErrorCode.INVALID_UTF8, field + " is not valid UTF-8");
            }
            String s = new String(buf, pos, length, StandardCharsets.UTF_8);
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

        private void need(int bytes, String field) throws Fault {
            if (end - pos < bytes) {
                throw new Fault(ErrorCode.TRUNCATED, field + " needs " + bytes + " bytes, " + (end - pos) + " left in the frame");
            }
        }
    }
}
