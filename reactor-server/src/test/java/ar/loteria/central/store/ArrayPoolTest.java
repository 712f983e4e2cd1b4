package ar.loteria.central.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

class ArrayPoolTest {
    @Test
    void arraysComeInPowersOfTwoFrom128Bytes() {
        ArrayPool pool = new ArrayPool(1 << 20);
        assertEquals(128, pool.take(0).length);
        assertEquals(128, pool.take(100).length);
        assertEquals(1024, pool.take(1024).length);
        assertEquals(2048, pool.take(1025).length);
        assertEquals(8192, pool.take(5000).length);
        assertEquals(65536, pool.take(65536).length);
        assertEquals(65537, pool.take(65537).length, "past the largest size: exactly what was asked, never kept");
        for (int length : new int[] {0, 50, 126, 1000, 1025, 4500, 8187, 10297, 65537}) {
            assertEquals(ArrayPool.capacity(length), pool.take(length).length, "what the in-flight budget counts is what is lent");
        }
    }

    @Test
    void anArrayGivenBackIsLentAgainForItsSize() {
        ArrayPool pool = new ArrayPool(1 << 20);
        byte[] a = pool.take(3000);
        pool.give(a);
        assertNotSame(a, pool.take(5000), "another size");
        assertSame(a, pool.take(4000));
        assertNotSame(a, pool.take(4000), "lent once until it comes back");
    }

    @Test
    void itKeepsNoMoreThanItsBytesAndNoOddSizes() {
        ArrayPool pool = new ArrayPool(4096);
        byte[] first = pool.take(4096);
        byte[] second = pool.take(4096);
        pool.give(first);
        pool.give(second); // over the 4 KiB it may keep: dropped
        pool.give(new byte[3000]); // not one of its sizes: dropped
        assertSame(first, pool.take(4096));
        byte[] fresh = pool.take(4096);
        assertNotSame(first, fresh);
        assertNotSame(second, fresh);
        assertEquals(4096, fresh.length);
    }
}
