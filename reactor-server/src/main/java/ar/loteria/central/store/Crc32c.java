package ar.loteria.central.store;

import java.util.zip.CRC32C;

/**
 * CRC-32C arithmetic the JDK lacks: the checksum of two byte runs put together, from the
 * checksums of each (zlib's {@code crc32_combine}, for the Castagnoli polynomial). The workers
 * checksum each batch's rows as they encode them; the journal combines them per group in a few
 * hundred nanoseconds, without reading the rows again.
 */
final class Crc32c {
    /** The Castagnoli polynomial, reflected. */
    private static final int POLY = 0x82F63B78;
    /** x^(2^n) modulo the polynomial, n = 0..31. */
    private static final int[] X2N = new int[32];

    static {
        int p = 1 << 30; // x^1
        X2N[0] = p;
        for (int n = 1; n < 32; n++) {
            X2N[n] = p = multiply(p, p);
        }
    }

    private Crc32c() {
    }

    static int of(byte[] b, int off, int len) {
        CRC32C crc = new CRC32C();
        crc.update(b, off, len);
        return (int) crc.getValue();
    }

    /** The CRC-32C of A followed by B, given that of A, that of B and the length of B. */
    static int combine(int crcA, int crcB, long lengthB) {
        return multiply(powerOfX(lengthB), crcA) ^ crcB;
    }

    /** x^(8 n) modulo the polynomial: shifting by n bytes. */
    private static int powerOfX(long n) {
        int p = 1 << 31; // x^0
        for (int k = 3; n != 0; n >>>= 1, k++) {
            if ((n & 1) != 0) {
                p = multiply(X2N[k & 31], p);
            }
        }
        return p;
    }

    /** a times b modulo the polynomial, both reflected. */
    private static int multiply(int a, int b) {
        int product = 0;
        for (int m = 1 << 31; m != 0; m >>>= 1) {
            if ((a & m) != 0) {
                product ^= b;
                if ((a & (m - 1)) == 0) {
                    break;
                }
            }
            b = (b & 1) != 0 ? (b >>> 1) ^ POLY : b >>> 1;
        }
        return product;
    }
}
