package ar.loteria.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A fuzz campaign against the decoder: 200,000 frames, random and mutated from valid ones. For
 * every one: no exception, a verdict once the frame is whole, exactly the frame consumed (nothing
 * for a bad header), and a valid verdict only for bytes that encode back to themselves.
 */
class DecoderFuzzTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-06-15T12:00:00Z"), ZoneOffset.UTC);

    private static List<byte[]> seeds() {
        List<Bet> bets = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            bets.add(new Bet("Nombre " + i, "Fornerón, \"el\"", Integer.toString(1000 + i), "1990-02-28", i * 331 % 10_000));
        }
        List<Message> messages = List.of(new Hello(3), new Proof(new byte[32]), new BetBatch(7, bets), new BetBatch(0, bets.subList(0, 1)),
                new AllSent(640), new WinnersQuery(), new Challenge(new byte[16]), new Welcome(106, true), new BatchAccepted(1, 2, 3),
                new BatchRejected(9, new WireError(ErrorCode.OFFSET_GAP, "gap")), new Winners(List.of("1", "0042"), true),
                new Failure(new WireError(ErrorCode.AUTH_FAILED, "authentication failed")));
        List<byte[]> out = new ArrayList<>();
        for (Message m : messages) {
            out.add(Frames.bytes(m));
        }
        return out;
    }

    private static byte[] mutate(byte[] seed, Random random) {
        byte[] b = seed.clone();
        switch (random.nextInt(5)) {
            case 0: // flip a few bytes anywhere, the header included
                for (int i = 0, n = 1 + random.nextInt(4); i < n; i++) {
                    b[random.nextInt(b.length)] ^= (byte) (1 + random.nextInt(255));
                }
                return b;
            case 1: // flip bytes in the payload only, keeping the header sound
                for (int i = 0, n = 1 + random.nextInt(6); i < n && b.length > Frame.HEADER_BYTES; i++) {
                    b[Frame.HEADER_BYTES + random.nextInt(b.length - Frame.HEADER_BYTES)] = (byte) random.nextInt(256);
                }
                return b;
            case 2: { // a payload cut or grown, its length field kept true
                int payload = Math.max(0, b.length - Frame.HEADER_BYTES + random.nextInt(21) - 10);
                byte[] out = new byte[Frame.HEADER_BYTES + payload];
                System.arraycopy(b, 0, out, 0, Math.min(b.length, out.length));
                out[3] = (byte) (payload >> 8);
                out[4] = (byte) payload;
                return out;
            }
            case 3: { // a payload of random bytes under a sound header
                byte[] out = new byte[Frame.HEADER_BYTES + random.nextInt(300)];
                random.nextBytes(out);
                System.arraycopy(b, 0, out, 0, 3);
                out[3] = (byte) ((out.length - Frame.HEADER_BYTES) >> 8);
                out[4] = (byte) (out.length - Frame.HEADER_BYTES);
                return out;
            }
            default: { // anything at all
                byte[] out = new byte[random.nextInt(64)];
                random.nextBytes(out);
                return out;
            }
        }
    }

    @Test
    void twoHundredThousandMutatedFramesNeverBreakTheDecoder() {
        Random random = new Random(7574);
        List<byte[]> seeds = seeds();
        FrameDecoder decoder = new FrameDecoder(CLOCK);
        int valid = 0;
        for (int i = 0; i < 200_000; i++) {
            byte[] frame = mutate(seeds.get(random.nextInt(seeds.size())), random);
            ByteBuffer in = ByteBuffer.wrap(frame);
            Decoded d = decoder.decode(in);
            int declared = frame.length >= Frame.HEADER_BYTES ? Frame.HEADER_BYTES + ((frame[3] & 0xFF) << 8 | frame[4] & 0xFF) : Integer.MAX_VALUE;
            boolean whole = frame.length >= declared;
            if (d instanceof Decoded.Malformed) {
                assertTrue(in.position() == 0 || in.position() == declared, "a malformed frame consumes nothing or itself");
            } else if (d == null) {
                assertTrue(!whole && in.position() == 0, "only an incomplete frame gives no verdict");
            } else {
                assertEquals(declared, in.position(), "exactly the frame is consumed");
            }
            if (whole && frame[0] == Frame.MAGIC && frame[1] == Frame.VERSION && MessageType.fromCode(frame[2] & 0xFF) != null) {
                assertNotNull(d, "a whole frame with a sound header always gets a verdict");
            }
            if (d instanceof Decoded.Valid v) {
                valid++;
                ByteBuffer again = FrameEncoder.encode(v.message());
                byte[] bytes = new byte[again.remaining()];
                again.get(bytes);
                assertArrayEquals(java.util.Arrays.copyOf(frame, declared), bytes, "a valid frame is the one encoding of its message: " + v.message());
            }
        }
        assertTrue(valid > 1_000, "the mutations keep some frames valid, so the valid path is fuzzed too: " + valid);
    }
}
