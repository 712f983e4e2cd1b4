package ar.loteria.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ar.loteria.wire.AgencyMessage.BetBatch;
import ar.loteria.wire.AgencyMessage.Hello;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each way a frame can be wrong gives its own error, and never an exception. */
class MalformedFrameTest {
    private static final Clock TODAY_2026_06_15 = Clock.fixed(Instant.parse("2026-06-15T00:00:00Z"), ZoneOffset.UTC); // 14:00 in UTC+14, where the date is judged
    private final FrameDecoder decoder = new FrameDecoder(TODAY_2026_06_15);

    private WireError malformed(byte[] bytes) {
        Decoded d = decoder.decode(ByteBuffer.wrap(bytes));
        return assertInstanceOf(Decoded.Malformed.class, d).error();
    }

    private Decoded.InvalidBatch invalidBatch(byte[] bytes) {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        Decoded d = decoder.decode(in);
        assertEquals(bytes.length, in.position(), "an invalid batch is consumed whole");
        return assertInstanceOf(Decoded.InvalidBatch.class, d);
    }

    /** A batch payload: first offset, count, then bets written field by field. */
    private static final class BatchBytes {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        BatchBytes(long firstOffset, int count) {
            u32(firstOffset >>> 32).u32(firstOffset).u16(count);
        }

        BatchBytes u16(int v) {
            out.write(v >> 8);
            out.write(v);
            return this;
        }

        BatchBytes u32(long v) {
            return u16((int) (v >> 16)).u16((int) v);
        }

        BatchBytes str(String s) {
            return raw(new byte[] {(byte) s.getBytes(StandardCharsets.UTF_8).length}).raw(s.getBytes(StandardCharsets.UTF_8));
        }

        BatchBytes raw(byte[] b) {
            out.writeBytes(b);
            return this;
        }

        BatchBytes bet(String first, String last, String document, String birthdate, int number) {
            return str(first).str(last).str(document).raw(birthdate.getBytes(StandardCharsets.ISO_8859_1)).u16(number);
        }

        byte[] frame() {
            return Hex.frame(0x02, out.toByteArray());
        }
    }

    @Test
    void aFrameThatDoesNotStartWithTheMagicByteIsBadMagicFromItsFirstByte() {
        assertEquals(ErrorCode.BAD_MAGIC, malformed("G".getBytes(StandardCharsets.US_ASCII)).code());
    }

    @Test
    void anotherVersionIsUnsupportedAsSoonAsItsByteArrivesVersionOneIncluded() {
        assertEquals(ErrorCode.UNSUPPORTED_VERSION, malformed(new byte[] {(byte) 0xF5, 1}).code());
    }

    @Test
    void anUnknownTypeIsReportedFromTheThirdByte() {
        WireError error = malformed(new byte[] {(byte) 0xF5, 2, 0x7E});
        assertEquals(ErrorCode.UNKNOWN_TYPE, error.code());
        assertEquals("unknown message type 0x7E", error.reason());
    }

    @Test
    void anOversizedLengthIsRefusedFromTheHeaderAloneBeforeThePayloadArrives() {
        byte[] header = {(byte) 0xF5, 2, 0x02, (byte) 0x1F, (byte) 0xFC}; // 8188 = 8187 + 1
        ByteBuffer in = ByteBuffer.wrap(header);
        WireError error = assertInstanceOf(Decoded.Malformed.class, decoder.decode(in)).error();
        assertEquals(ErrorCode.FRAME_TOO_LARGE, error.code());
        assertEquals(0, in.position(), "a broken header consumes nothing");
    }

    @Test
    void theLargestLegalLengthIsAwaitedNotRefused() {
        byte[] header = {(byte) 0xF5, 2, 0x02, (byte) 0x1F, (byte) 0xFB}; // 8187
        assertEquals(null, decoder.decode(ByteBuffer.wrap(header)));
    }

    @Test
    void aStringLongerThanThePayloadIsTruncated() {
        byte[] payload = {0, 0, 0, 0, 0, 0, 0, 1, 0x20, 10, 'o', 'n', 'l', 'y'}; // reason claims 10 bytes, 4 follow
        WireError error = malformed(Hex.frame(0x82, payload));
        assertEquals(ErrorCode.TRUNCATED, error.code());
        assertEquals("reason needs 10 bytes, 4 left in the frame", error.reason());
    }

    @Test
    void aPayloadTooShortForItsFixedFieldsIsTruncated() {
        assertEquals(ErrorCode.TRUNCATED, malformed(Hex.frame(0x01, new byte[] {0})).code());
    }

    @Test
    void invalidUtf8InAReasonIsMalformed() {
        byte[] payload = {0x20, 2, (byte) 0xC3, (byte) 0x28};
        assertEquals(ErrorCode.INVALID_UTF8, malformed(Hex.frame(0x84, payload)).code());
    }

    @Test
    void bytesLeftOverInsideAFrameAreTrailingBytes() {
        WireError error = malformed(Hex.frame(0x01, new byte[] {0, 1, 0}));
        assertEquals(ErrorCode.TRAILING_BYTES, error.code());
        assertEquals("1 bytes left over at the end of HELLO", error.reason());
        assertEquals(ErrorCode.TRAILING_BYTES, malformed(Hex.frame(0x04, new byte[] {0})).code());
    }

    @Test
    void unknownErrorCodesAndWinnersFlagsAreInvalidFields() {
        assertEquals(ErrorCode.INVALID_FIELD, malformed(Hex.frame(0x84, new byte[] {(byte) 0x99, 0})).code());
        assertEquals(ErrorCode.INVALID_FIELD, malformed(Hex.frame(0x83, new byte[] {2, 0, 0})).code());
    }

    @Test
    void aBatchWhoseOffsetOrCountCannotBeReadIsMalformedNotMerelyInvalid() {
        WireError shortPrefix = malformed(Hex.frame(0x02, new byte[] {0, 0, 0, 0, 0, 0, 0, 1, 0}));
        assertEquals(ErrorCode.TRUNCATED, shortPrefix.code());
        byte[] hugeOffset = new BatchBytes(-1L, 1).bet("Ana", "Paz", "1", "1990-01-01", 1).frame(); // 2^64 - 1
        WireError huge = malformed(hugeOffset);
        assertEquals(ErrorCode.INVALID_FIELD, huge.code());
        assertEquals("first offset out of range: 18446744073709551615", huge.reason());
    }

    @Test
    void offsetsFlagsAndFixedSizeFieldsOutOfShapeAreMalformed() {
        byte[] allSent = {(byte) 0x80, 0, 0, 0, 0, 0, 0, 0}; // 2^63
        assertEquals(ErrorCode.INVALID_FIELD, malformed(Hex.frame(0x03, allSent)).code());
        assertEquals(ErrorCode.INVALID_FIELD, malformed(Hex.frame(0x86, new byte[] {0, 0, 0, 0, 0, 0, 0, 5, 2})).code(), "welcome flag 2");
        assertEquals(ErrorCode.TRUNCATED, malformed(Hex.frame(0x05, new byte[31])).code(), "a proof is 32 bytes");
        assertEquals(ErrorCode.TRAILING_BYTES, malformed(Hex.frame(0x85, new byte[17])).code(), "a nonce is 16 bytes");
    }

    @Test
    void aWinnersDocumentThatIsNotDigitsIsAnInvalidDocument() {
        byte[] payload = {1, 0, 1, 2, 'x', '1'};
        assertEquals(ErrorCode.INVALID_DOCUMENT, malformed(Hex.frame(0x83, payload)).code());
    }

    @Test
    void aTruncatedBetRejectsItsBatchWithItsOffsetAndCount() {
        byte[] frame = new BatchBytes(7, 2).bet("Ana", "Paz", "123", "1990-01-01", 1).str("Luis").frame();
        Decoded.InvalidBatch rejected = invalidBatch(frame);
        assertEquals(7, rejected.firstOffset());
        assertEquals(2, rejected.count());
        assertEquals(ErrorCode.TRUNCATED, rejected.error().code());
        assertEquals("bet 2: last name length needs 1 bytes, 0 left in the frame", rejected.error().reason());
    }

    @Test
    void trailingBytesAfterTheLastBetRejectTheBatch() {
        byte[] frame = new BatchBytes(1, 1).bet("Ana", "Paz", "123", "1990-01-01", 1).raw(new byte[] {9}).frame();
        assertEquals(ErrorCode.TRAILING_BYTES, invalidBatch(frame).error().code());
    }

    @Test
    void invalidUtf8InANameRejectsTheBatch() {
        byte[] frame = new BatchBytes(1, 1).raw(new byte[] {2, (byte) 0xED, (byte) 0xA0}).str("Paz").str("1")
                .raw("1990-01-01".getBytes(StandardCharsets.US_ASCII)).u16(1).frame();
        Decoded.InvalidBatch rejected = invalidBatch(frame);
        assertEquals(ErrorCode.INVALID_UTF8, rejected.error().code());
        assertEquals("bet 1: first name is not valid UTF-8", rejected.error().reason());
    }

    @Test
    void eachInvalidFieldValueRejectsTheBatchWithItsOwnCode() {
        record Case(ErrorCode code, byte[] frame) {
        }
        String longName = "Ñ".repeat(33); // 66 bytes
        List<Case> cases = List.of(
                new Case(ErrorCode.INVALID_NAME, new BatchBytes(1, 1).bet("", "Paz", "1", "1990-01-01", 1).frame()),
                new Case(ErrorCode.INVALID_NAME, new BatchBytes(1, 1).bet("Ana", longName, "1", "1990-01-01", 1).frame()),
                new Case(ErrorCode.INVALID_NAME, new BatchBytes(1, 1).bet("A\tna", "Paz", "1", "1990-01-01", 1).frame()),
                new Case(ErrorCode.INVALID_DOCUMENT, new BatchBytes(1, 1).bet("Ana", "Paz", "12a", "1990-01-01", 1).frame()),
                new Case(ErrorCode.INVALID_DOCUMENT, new BatchBytes(1, 1).bet("Ana", "Paz", "12345678901", "1990-01-01", 1).frame()),
                new Case(ErrorCode.INVALID_DOCUMENT, new BatchBytes(1, 1).bet("Ana", "Paz", "", "1990-01-01", 1).frame()),
                new Case(ErrorCode.INVALID_BIRTHDATE, new BatchBytes(1, 1).bet("Ana", "Paz", "1", "1990-02-30", 1).frame()),
                new Case(ErrorCode.INVALID_BIRTHDATE, new BatchBytes(1, 1).bet("Ana", "Paz", "1", "1990/01/01", 1).frame()),
                new Case(ErrorCode.INVALID_BIRTHDATE, new BatchBytes(1, 1).bet("Ana", "Paz", "1", "2026-06-16", 1).frame()),
                new Case(ErrorCode.INVALID_NUMBER, new BatchBytes(1, 1).bet("Ana", "Paz", "1", "1990-01-01", 10000).frame()),
                new Case(ErrorCode.EMPTY_BATCH, new BatchBytes(1, 0).frame()));
        for (Case c : cases) {
            assertEquals(c.code(), invalidBatch(c.frame()).error().code(), c.toString());
        }
    }

    @Test
    void theFaultyBetIsNamedInTheReason() {
        byte[] frame = new BatchBytes(3, 3).bet("Ana", "Paz", "1", "1990-01-01", 1).bet("Eva", "Gil", "2", "1990-01-01", 2)
                .bet("Leo", "Sol", "3", "1990-01-01", 12345).frame();
        assertEquals("bet 3: number must be 0 to 9999: 12345", invalidBatch(frame).error().reason());
    }

    @Test
    void afterAnInvalidBatchTheNextFrameDecodesNormally() {
        byte[] bad = new BatchBytes(1, 1).bet("Ana", "Paz", "1", "1990-02-30", 1).frame();
        byte[] good = Frames.bytes(new Hello(4));
        ByteArrayOutputStream both = new ByteArrayOutputStream();
        both.writeBytes(bad);
        both.writeBytes(good);
        List<Decoded> decoded = Frames.feed(decoder, both.toByteArray());
        assertInstanceOf(Decoded.InvalidBatch.class, decoded.get(0));
        assertEquals(new Decoded.Valid(new Hello(4)), decoded.get(1));
    }

    @Test
    void theDecoderStopsAtTheEndOfItsFrameEvenWhenGarbageFollows() {
        byte[] hello = Frames.bytes(new Hello(2));
        ByteBuffer in = ByteBuffer.allocate(hello.length + 3).put(hello).put(new byte[] {'x', 'y', 'z'}).flip();
        assertEquals(new Decoded.Valid(new Hello(2)), decoder.decode(in));
        assertEquals(hello.length, in.position());
        assertEquals(ErrorCode.BAD_MAGIC, assertInstanceOf(Decoded.Malformed.class, decoder.decode(in)).error().code());
    }

    @Test
    void randomBytesNeverThrow() {
        java.util.Random random = new java.util.Random(7574);
        for (int i = 0; i < 20_000; i++) {
            byte[] payload = new byte[random.nextInt(200)];
            random.nextBytes(payload);
            int type = MessageType.values()[random.nextInt(MessageType.values().length)].code();
            Decoded d = decoder.decode(ByteBuffer.wrap(Hex.frame(type, payload)));
            assertTrue(d != null, "a complete frame always gives a result");
        }
        BetBatch sample = new BetBatch(1, List.of(new Bet("Ana", "Paz", "1", "1990-01-01", 1)));
        assertEquals(new Decoded.Valid(sample), decoder.decode(FrameEncoder.encode(sample)));
    }
}
