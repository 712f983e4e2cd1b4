package ar.loteria.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** The central checks a batch's prefix where the frame lies, before it copies anything. */
class BatchPrefixTest {
    /** {@code bytes} at position 3 of a buffer with other bytes around them, heap or direct. */
    private static ByteBuffer within(byte[] bytes, boolean direct) {
        ByteBuffer b = direct ? ByteBuffer.allocateDirect(bytes.length + 6) : ByteBuffer.allocate(bytes.length + 6);
        b.put(new byte[] {9, 9, 9}).put(bytes).put(new byte[] {9, 9, 9});
        return b.position(3).limit(3 + bytes.length);
    }

    private static byte[] prefix(long first, int count, int more) {
        return ByteBuffer.allocate(BatchReader.PREFIX_BYTES + more).putLong(first).putShort((short) count).array();
    }

    @Test
    void aBufferIsCheckedInPlaceWhereverItsBytesLie() {
        for (boolean direct : new boolean[] {false, true}) {
            ByteBuffer ok = within(prefix(5, 1, 20), direct);
            assertNull(BatchReader.checkPrefix(ok));
            assertEquals(3, ok.position(), "the buffer is left where it was");
            assertEquals(ErrorCode.TRUNCATED, BatchReader.checkPrefix(within(new byte[9], direct)).code());
            assertEquals(ErrorCode.INVALID_FIELD, BatchReader.checkPrefix(within(prefix(-1, 1, 0), direct)).code());
            assertNull(BatchReader.checkPrefix(within(prefix(Message.MAX_OFFSET, 1, 0), direct)), "the last offset a batch may start at");
        }
    }
}
