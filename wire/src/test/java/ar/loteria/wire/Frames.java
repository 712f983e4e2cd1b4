package ar.loteria.wire;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/** Feeds a decoder the way a network peer would: chunks appended to one accumulating buffer. */
final class Frames {
    private Frames() {
    }

    static List<Decoded> feed(FrameDecoder decoder, List<byte[]> chunks) {
        int total = chunks.stream().mapToInt(c -> c.length).sum();
        ByteBuffer acc = ByteBuffer.allocate(total);
        List<Decoded> out = new ArrayList<>();
        for (byte[] chunk : chunks) {
            acc.put(chunk).flip();
            Decoded d;
            while ((d = decoder.decode(acc)) != null) {
                out.add(d);
                if (d instanceof Decoded.Malformed) {
                    return out;
                }
            }
            acc.compact();
        }
        return out;
    }

    static List<Decoded> feed(FrameDecoder decoder, byte[] bytes) {
        return feed(decoder, List.of(bytes));
    }

    static byte[] concat(List<? extends Message> messages) {
        int size = messages.stream().mapToInt(FrameEncoder::frameBytes).sum();
        ByteBuffer out = ByteBuffer.allocate(size);
        messages.forEach(m -> FrameEncoder.encode(m, out));
        return out.array();
    }

    static byte[] bytes(Message message) {
        ByteBuffer b = FrameEncoder.encode(message);
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }
}
