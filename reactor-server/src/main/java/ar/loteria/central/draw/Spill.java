package ar.loteria.central.draw;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The winners one piece of a tally found, in the order of the file: (agency, document) records
 * in a small buffer and, past it, in a file of the store's directory, so that the tally's memory
 * does not grow with the winners (two million of them used to fill the heap). The file loses its
 * name as it opens: a crash leaves nothing behind, and the next draw starts afresh.
 *
 * <pre>record: u16 agency | u8 document length | document (ASCII digits)</pre>
 */
public final class Spill implements Closeable {
    static final int BUFFER_BYTES = 64 * 1024;
    private static final int RECORD_PREFIX = 2 + 1;
    /** Spill files of this process are told apart by a number; their names are gone once open. */
    private static final AtomicLong NAMES = new AtomicLong();

    /** Takes the records back, one by one, in the order they were added. */
    @FunctionalInterface
    public interface Reader {
        void winner(int agency, byte[] b, int document, int length) throws IOException;
    }

    private final Path directory;
    private final ByteBuffer buffer = ByteBuffer.allocate(BUFFER_BYTES);
    private FileChannel file;
    private long spilled;

    /** Spills into {@code directory}, once its buffer is full. */
    public Spill(Path directory) {
        this.directory = directory;
    }

    /**
     * Adds a winner. It is called from the tally's inner loop, which throws only what it finds in
     * the rows: a disk that fails here is an {@link UncheckedIOException}, turned back into an
     * {@link IOException} by whoever runs the tally.
     */
    void add(int agency, byte[] b, int document, int length) {
        if (buffer.remaining() < RECORD_PREFIX + length) {
            try {
                spill();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        buffer.putShort((short) agency).put((byte) length).put(b, document, length);
    }

    private void spill() throws IOException {
        if (file == null) {
            file = FileChannel.open(directory.resolve("winners-" + ProcessHandle.current().pid() + "-" + NAMES.incrementAndGet() + ".spill"),
                    StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE, StandardOpenOption.DELETE_ON_CLOSE);
        }
        buffer.flip();
        while (buffer.hasRemaining()) {
            spilled += file.write(buffer, spilled);
        }
        buffer.clear();
    }

    /** Hands every record to {@code reader}, in order: those in the file, then those in the buffer. */
    public void replay(Reader reader) throws IOException {
        if (file != null) {
            ByteBuffer in = ByteBuffer.allocate(BUFFER_BYTES);
            for (long position = 0; position < spilled; ) {
                in.limit((int) Math.min(in.capacity(), in.position() + spilled - position));
                int n = file.read(in, position);
                if (n < 0) {
                    throw new IOException("a spill file of the draw ended " + (spilled - position) + " bytes early");
                }
                position += n;
                in.flip();
                records(in, reader);
                in.compact();
            }
            if (in.position() > 0) {
                throw new IOException("a spill file of the draw ends inside a record");
            }
        }
        records(buffer.duplicate().flip(), reader);
    }

    /** Hands the whole records at the front of {@code in} to {@code reader}; the rest stays. */
    private static void records(ByteBuffer in, Reader reader) throws IOException {
        byte[] b = in.array();
        while (in.remaining() >= RECORD_PREFIX) {
            int at = in.position();
            int length = b[at + 2] & 0xFF;
            if (in.remaining() < RECORD_PREFIX + length) {
                return;
            }
            reader.winner(((b[at] & 0xFF) << 8) | (b[at + 1] & 0xFF), b, at + RECORD_PREFIX, length);
            in.position(at + RECORD_PREFIX + length);
        }
    }

    /** Deletes the file, if there is one. */
    @Override
    public void close() throws IOException {
        if (file != null) {
            file.close();
        }
    }
}
