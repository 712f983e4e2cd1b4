package ar.loteria.central.store;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Rows in the dialect of Python's {@code csv.writer} with {@code QUOTE_MINIMAL}: a field is
 * quoted only when it holds a comma, a double quote or a line break; inner quotes are doubled;
 * rows end with {@code \r\n}. Encodes into one reusable array, so a whole group of rows is one
 * write.
 */
final class CsvWriter {
    private byte[] bytes = new byte[64 * 1024];
    private int length;
    private boolean rowStarted;

    void reset() {
        length = 0;
        rowStarted = false;
    }

    CsvWriter field(long value) {
        separate();
        ensure(20);
        length = putDecimal(bytes, length, value);
        return this;
    }

    /** Writes {@code value} in decimal at {@code at} (room for 20 bytes); returns where it ends. */
    static int putDecimal(byte[] out, int at, long value) {
        if (value < 0) {
            out[at++] = '-';
            value = -value;
        }
        int start = at;
        do {
            out[at++] = (byte) ('0' + value % 10);
            value /= 10;
        } while (value != 0);
        for (int i = start, j = at - 1; i < j; i++, j--) { // digits came out backwards
            byte t = out[i];
            out[i] = out[j];
            out[j] = t;
        }
        return at;
    }

    CsvWriter field(String value) {
        separate();
        if (!needsQuotes(value)) {
            putText(value);
            return this;
        }
        put((byte) '"');
        int from = 0;
        for (int quote = value.indexOf('"'); quote >= 0; quote = value.indexOf('"', quote + 1)) {
            putText(value.substring(from, quote + 1));
            put((byte) '"');
            from = quote + 1;
        }
        putText(value.substring(from));
        put((byte) '"');
        return this;
    }

    void endRow() {
        put((byte) '\r');
        put((byte) '\n');
        rowStarted = false;
    }

    /** What was written since the last reset, ready to be read. */
    ByteBuffer buffer() {
        return ByteBuffer.wrap(bytes, 0, length);
    }

    private static boolean needsQuotes(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == ',' || c == '"' || c == '\r' || c == '\n') {
                return true;
            }
        }
        return false;
    }

    private void separate() {
        if (rowStarted) {
            put((byte) ',');
        }
        rowStarted = true;
    }

    /** ASCII byte by byte; anything else through the JDK's encoder. */
    private void putText(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 0x80) {
                byte[] rest = s.substring(i).getBytes(StandardCharsets.UTF_8);
                ensure(rest.length);
                System.arraycopy(rest, 0, bytes, length, rest.length);
                length += rest.length;
                return;
            }
            put((byte) c);
        }
    }

    private void put(byte b) {
        ensure(1);
        bytes[length++] = b;
    }

    private void ensure(int more) {
        if (length + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
        }
    }
}
