package ar.loteria.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class RoundTripProperties {
    private final FrameDecoder decoder = new FrameDecoder();

    @Provide
    Arbitrary<Message> messages() {
        return WireArbitraries.message();
    }

    @Provide
    Arbitrary<List<Message>> conversations() {
        return WireArbitraries.smallMessage().list().ofMinSize(1).ofMaxSize(4);
    }

    @Property(tries = 2000)
    void everyMessageDecodesToItself(@ForAll("messages") Message message) {
        ByteBuffer frame = FrameEncoder.encode(message);
        assertEquals(FrameEncoder.frameBytes(message), frame.remaining());
        assertEquals(new Decoded.Valid(message), decoder.decode(frame));
        assertFalse(frame.hasRemaining(), "the decoder consumed exactly the frame");
    }

    @Property(tries = 200)
    void directBuffersDecodeTheSame(@ForAll("messages") Message message) {
        ByteBuffer heap = FrameEncoder.encode(message);
        ByteBuffer direct = ByteBuffer.allocateDirect(heap.remaining()).put(heap).flip();
        assertEquals(new Decoded.Valid(message), decoder.decode(direct));
    }

    @Property(tries = 150)
    void theSameBytesSplitAtAnyPositionDecodeToTheSameMessages(@ForAll("conversations") List<Message> messages) {
        byte[] bytes = Frames.concat(messages);
        List<Decoded> expected = messages.stream().<Decoded>map(Decoded.Valid::new).toList();
        for (int cut = 0; cut <= bytes.length; cut++) {
            List<byte[]> chunks = List.of(Arrays.copyOfRange(bytes, 0, cut), Arrays.copyOfRange(bytes, cut, bytes.length));
            assertEquals(expected, Frames.feed(decoder, chunks), "split at byte " + cut);
        }
    }

    @Property(tries = 100)
    void bytesArrivingOneAtATimeDecodeToTheSameMessages(@ForAll("conversations") List<Message> messages) {
        byte[] bytes = Frames.concat(messages);
        List<byte[]> chunks = new ArrayList<>();
        for (byte b : bytes) {
            chunks.add(new byte[] {b});
        }
        assertEquals(messages.stream().<Decoded>map(Decoded.Valid::new).toList(), Frames.feed(decoder, chunks));
    }

    @Property(tries = 300)
    void anIncompleteFrameConsumesNothing(@ForAll("messages") Message message) {
        ByteBuffer frame = FrameEncoder.encode(message);
        for (int limit : new int[] {0, 1, 4, 5, frame.limit() - 1}) {
            if (limit < 0 || limit >= frame.limit()) {
                continue;
            }
            ByteBuffer partial = frame.duplicate().limit(limit);
            assertEquals(null, decoder.decode(partial), "with " + limit + " bytes");
            assertEquals(0, partial.position());
        }
    }
}
