package ar.loteria.central.store;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Reads rows written in Python's csv dialect back, streaming: it holds one buffer of the file,
 * never the file. Quoted fields may hold commas, doubled quotes and line breaks; rows end in
 * {@code \r\n} or {@code \n}.
 */
final class CsvReader implements Closeable {
    private final FileChannel file;
    private long unread;
    private ByteBuffer buf = ByteBuffer.allocate(256 * 1024).flip();
    private byte[] field = new byte[256];
    private long row;

    /** Reads at most {@code limit} bytes of {@code file}, from its start. */
    CsvReader(FileChannel file, long limit) {
        this.file = file;
        this.unread = limit;
    }

    /** The number of the row {@link #next} returned last, from 1. */
    long row() {
        return row;
    }

    /** Fills {@code fields} with the next row; false at the end of the file. */
    boolean next(List<String> fields) throws IOException {
        fields.clear();
        if (!buf.hasRemaining() && !fill()) {
            return false;
        }
        row++;
        while (true) {
            int end = readField();
            fields.add(new String(field, 0, fieldLength, StandardCharsets.UTF_8));
            if (end != ',') {
                return true;
            }
        }
    }

    private int fieldLength;

    /** Reads one field into {@code field}; returns what ended it: ',', '\n', or -1 at the end of the file. */
    private int readField() throws IOException {
        fieldLength = 0;
        int b = read();
        if (b == '"') {
            while (true) {
                b = read();
                if (b < 0) {
                    throw new IOException("row " + row + ": quoted field never closed");
                }
                if (b == '"') {
                    b = read();
                    if (b != '"') {
                        break; // the closing quote
                    }
                }
                append(b);
            }
        } else {
            while (b >= 0 && b != ',' && b != '\n' && b != '\r') {
                append(b);
                b = read();
            }
        }
        if (b == '\r') {
            b = read();
            if (b != '\n') {
                throw new IOException("row " + row + ": carriage return without a line feed");
            }
        }
        if (b >= 0 && b != ',' && b != '\n') {
            throw new IOException(String.format("row %d: unexpected byte 0x%02X after a quoted field", row, b));
        }
        return b;
    }

    private void append(int b) {
        if (fieldLength == field.length) {
            field = Arrays.copyOf(field, field.length * 2);
        }
        field[fieldLength++] = (byte) b;
    }

    private int read() throws IOException {
        if (!buf.hasRemaining() && !fill()) {
            return -1;
        }
        return buf.get() & 0xFF;
    }

    private boolean fill() throws IOException {
        if (unread == 0) {
            return false;
        }
        buf.clear();
        if (buf.remaining() > unread) {
            buf.limit((int) unread);
        }
        int n = file.read(buf);
        if (n < 0) {
            throw new IOException("the file ended " + unread + " bytes early");
        }
        unread -= n;
        buf.flip();
        return true;
    }

    @Override
    public void close() throws IOException {
        file.close();
    }
}
