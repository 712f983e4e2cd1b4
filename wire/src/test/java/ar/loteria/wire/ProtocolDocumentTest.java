package ar.loteria.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

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
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** Every hex example of PROTOCOL.md is a test vector, checked in both directions. */
class ProtocolDocumentTest {
    /** The nonce and key of the document's handshake example. */
    static final byte[] NONCE = Hex.parse("00 11 22 33 44 55 66 77 88 99 AA BB CC DD EE FF");
    static final byte[] KEY = "agency-3-secret-key".getBytes(StandardCharsets.US_ASCII);

    private static final Pattern VECTOR = Pattern.compile("<!-- vector: (\\w+) -->\\s*```hex\\n(.*?)```", Pattern.DOTALL);

    /** What each example of the document means. */
    private static final Map<String, Message> MEANING = Map.ofEntries(
            Map.entry("hello", new Hello(3)),
            Map.entry("challenge", new Challenge(NONCE)),
            Map.entry("proof", new Proof(Proofs.proof(KEY, 3, NONCE))),
            Map.entry("welcome", new Welcome(106, false)),
            Map.entry("bet_batch", new BetBatch(106, List.of(
                    new Bet("Santiago Lionel", "Lorca", "30904465", "1999-03-17", 7574),
                    new Bet("María", "Fornerón", "00000042", "1985-12-01", 123)))),
            Map.entry("all_sent", new AllSent(640)),
            Map.entry("winners_query", new WinnersQuery()),
            Map.entry("batch_accepted", new BatchAccepted(106, 2, 108)),
            Map.entry("batch_rejected", new BatchRejected(108, new WireError(ErrorCode.INVALID_BIRTHDATE, "bet 1: birthdate 1999-02-30 is not a real date"))),
            Map.entry("winners", new Winners(List.of("30904465", "00000042"), true)),
            Map.entry("failure", new Failure(new WireError(ErrorCode.NOT_IDENTIFIED, "send HELLO first"))),
            Map.entry("failure_replaced", new Failure(new WireError(ErrorCode.REPLACED, "another connection of agency 3 took over"))),
            Map.entry("proof_utf8_key", new Proof(Proofs.proof("clave-de-la-agencia-3-ñandú".getBytes(StandardCharsets.UTF_8), 3, NONCE))),
            Map.entry("proof_long_key", new Proof(Proofs.proof(
                    "a-key-longer-than-sixty-four-bytes-is-hashed-first-as-hmac-says-agency-3".getBytes(StandardCharsets.US_ASCII), 3, NONCE))));

    private static Map<String, byte[]> vectors() throws IOException {
        String doc = Files.readString(Path.of("PROTOCOL.md"), StandardCharsets.UTF_8);
        Map<String, byte[]> vectors = new LinkedHashMap<>();
        Matcher m = VECTOR.matcher(doc);
        while (m.find()) {
            vectors.put(m.group(1), Hex.parse(m.group(2)));
        }
        return vectors;
    }

    @Test
    void everyMessageTypeHasAnExampleAndEveryExampleIsChecked() throws IOException {
        Map<String, byte[]> vectors = vectors();
        assertEquals(MEANING.keySet(), vectors.keySet());
        Set<MessageType> exemplified = EnumSet.noneOf(MessageType.class);
        MEANING.values().forEach(m -> exemplified.add(m.type()));
        assertEquals(EnumSet.allOf(MessageType.class), exemplified);
    }

    @TestFactory
    List<DynamicTest> examplesEncodeAndDecodeExactly() throws IOException {
        FrameDecoder decoder = new FrameDecoder(Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC));
        return vectors().entrySet().stream().map(v -> DynamicTest.dynamicTest(v.getKey(), () -> {
            Message meaning = MEANING.get(v.getKey());
            byte[] documented = v.getValue();
            assertEquals(Hex.format(ByteBuffer.wrap(documented)), Hex.format(FrameEncoder.encode(meaning)), "encoding");
            ByteBuffer in = ByteBuffer.wrap(documented);
            assertEquals(new Decoded.Valid(meaning), decoder.decode(in), "decoding");
            assertFalse(in.hasRemaining(), "the whole example is one frame");
        })).toList();
    }
}
