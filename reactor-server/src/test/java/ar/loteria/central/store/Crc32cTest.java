package ar.loteria.central.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The journal's group checksum, combined from the workers', is the checksum of the bytes it writes. */
class Crc32cTest {
    @Test
    void theCombinationOfTwoChecksumsIsTheChecksumOfTheBytesPutTogether() {
        Random random = new Random(7574);
        for (int round = 0; round < 2_000; round++) {
            byte[] a = new byte[random.nextInt(round < 100 ? 4 : 70_000)];
            byte[] b = new byte[random.nextInt(round < 100 ? 4 : 70_000)];
            random.nextBytes(a);
            random.nextBytes(b);
            byte[] ab = Arrays.copyOf(a, a.length + b.length);
            System.arraycopy(b, 0, ab, a.length, b.length);
            assertEquals(Crc32c.of(ab, 0, ab.length), Crc32c.combine(Crc32c.of(a, 0, a.length), Crc32c.of(b, 0, b.length), b.length),
                    a.length + " + " + b.length + " bytes");
        }
    }
}
