package ar.loteria.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import ar.loteria.wire.AgencyMessage.AllSent;
import ar.loteria.wire.AgencyMessage.BetBatch;
import ar.loteria.wire.AgencyMessage.Hello;
import ar.loteria.wire.AgencyMessage.WinnersQuery;
import ar.loteria.wire.CentralMessage.BatchAccepted;
import ar.loteria.wire.CentralMessage.BatchRejected;
import ar.loteria.wire.CentralMessage.Failure;
import ar.loteria.wire.CentralMessage.Winners;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** Every hex example of PROTOCOL.md is a test vector, checked in both directions. */
class ProtocolDocumentTest {
    private static final Pattern VECTOR = Pattern.compile("<!-- vector: (\\w+) -->\\s*```hex\\n(.*?)```", Pattern.DOTALL);

    /** What each example of the document means. */
    private static final Map<String, Message> MEANING = Map.of(
            "hello", new Hello(3),
            "bet_batch", new BetBatch(1, List.of(
                    new Bet("Santiago Lionel", "Lorca", "30904465", "1999-03-17", 7574),
                    new Bet("María", "Fornerón", "00000042", "1985-12-01", 123))),
            "all_sent", new AllSent(12),
            "winners_query", new WinnersQuery(),
            "batch_accepted", new BatchAccepted(1, 2),
            "batch_rejected", new BatchRejected(2, new WireError(ErrorCode.INVALID_BIRTHDATE, "bet 1: birthdate 1999-02-30 is not a real date")),
            "winners", new Winners(List.of("30904465", "00000042"), true),
            "failure", new Failure(new WireError(ErrorCode.NOT_IDENTIFIED, "send HELLO first")));

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
        assertEquals(MessageType.values().length, MEANING.size());
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
