package ar.loteria.central.reactor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.GatheringByteChannel;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;

class OutboundTest {
    /** A socket whose buffer holds {@code room} bytes in all (then it is full), and counts the calls. */
    private static final class Socket implements GatheringByteChannel {
        final ByteArrayOutputStream taken = new ByteArrayOutputStream();
        int room;
        int writes;

        Socket(int room) {
            this.room = room;
        }

        /** The peer read everything: the buffer is empty again. */
        void drained(int more) {
            room += more;
        }

        @Override
        public long write(ByteBuffer[] srcs, int offset, int length) {
            writes++;
            long n = 0;
            for (int i = offset; i < offset + length && room > 0; i++) {
                while (srcs[i].hasRemaining() && room > 0) {
                    taken.write(srcs[i].get());
                    room--;
                    n++;
                }
            }
            return n;
        }

        @Override
        public long write(ByteBuffer[] srcs) {
            return write(srcs, 0, srcs.length);
        }

        @Override
        public int write(ByteBuffer src) {
            return (int) write(new ByteBuffer[] {src});
        }

        @Override
        public boolean isOpen() {
            return true;
        }

        @Override
        public void close() {
        }
    }

    private static ByteBuffer text(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void aBurstOfSmallRepliesIsOneEntryAndOneWrite() throws Exception {
        Outbound out = new Outbound();
        for (int i = 0; i < 100; i++) {
            out.add(text("reply " + i + ";"));
        }
        assertTrue(out.charged() <= Outbound.FIRST_COALESCING_BYTES + 2 * Outbound.MAX_COALESCING_BYTES, "a few coalescing buffers hold them all: " + out.charged());
        Socket socket = new Socket(1 << 20);
        out.writeTo(socket);
        assertEquals(1, socket.writes);
        assertTrue(socket.taken.toString(StandardCharsets.US_ASCII).startsWith("reply 0;reply 1;"));
        assertTrue(out.isEmpty());
        assertEquals(0, out.charged());
    }

    @Test
    void theWaterMarksCountHeapPerEntryNotJustPayload() {
        Outbound out = new Outbound();
        for (int i = 0; i < 60; i++) {
            out.add(ByteBuffer.allocate(1024)); // 60 KiB of payload, more than 64 KiB of heap with the overheads
        }
        assertTrue(out.aboveHighWater(), "charged " + out.charged());
    }

    @Test
    void repliesLeaveInOrderAndAStreamHoldsTheOnesBehindIt() throws Exception {
        Outbound out = new Outbound();
        out.add(text("a"));
        Iterator<ByteBuffer> stream = List.of(text("<1>"), text("<2>"), text("<3>")).iterator();
        out.add(stream);
        out.add(text("b"));
        Socket socket = new Socket(2);
        while (!out.isEmpty()) {
            out.writeTo(socket);
            socket.drained(2);
        }
        assertEquals("a<1><2><3>b", socket.taken.toString(StandardCharsets.US_ASCII));
        assertFalse(stream.hasNext());
    }

    @Test
    void aStreamIsMadeOneBufferAtATimeAsThePeerReads() throws Exception {
        int[] made = {0};
        Iterator<ByteBuffer> frames = new Iterator<>() {
            @Override
            public boolean hasNext() {
                return made[0] < 1000;
            }

            @Override
            public ByteBuffer next() {
                made[0]++;
                return ByteBuffer.allocate(8192);
            }
        };
        Outbound out = new Outbound();
        out.add(frames);
        Socket socket = new Socket(8192 * 3);
        out.writeTo(socket);
        assertTrue(made[0] <= 4, "made " + made[0] + " frames for a peer that read 3");
        assertTrue(out.charged() <= 8192 + 2 * Outbound.ENTRY_OVERHEAD);
    }
}
