package ar.loteria.central.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The store's files with a disk that fails on demand: after {@link #failAfter} more writes or
 * forces, every write and force throws, as EIO or ENOSPC would; after {@link #failReads}, every
 * read (of one file, after {@link #failReadsOf}); after {@link #failOpens}, every open. Everything
 * else goes to the real file.
 */
public final class FaultyFiles implements Store.FileOpener {
    private final AtomicInteger left = new AtomicInteger(Integer.MAX_VALUE);
    private volatile String error = "Input/output error";
    /** Null while reads pass. */
    private volatile String readError;
    /** The file whose reads fail; null: every file's. */
    private volatile String readsOf;
    /** Null while opens pass. */
    private volatile String openError;
    /** The file whose forces fail, with {@link #forceError}; null while forces pass. */
    private volatile String forcesOf;
    private volatile String forceError;

    /** From the {@code operations}-th write or force on, each fails with {@code message}. */
    public void failAfter(int operations, String message) {
        error = message;
        left.set(operations);
    }

    /** From now on, every read fails with {@code message}, as EIO from a disk that no longer gives back what it holds. */
    public void failReads(String message) {
        readsOf = null;
        readError = message;
    }

    /** From now on, every read of the file named {@code file} fails with {@code message}; the other files read. */
    public void failReadsOf(String file, String message) {
        readsOf = file;
        readError = message;
    }

    /** From now on, every force of the file named {@code file} fails with {@code message}, as EIO from fsync; the rest passes. */
    public void failForcesOf(String file, String message) {
        forceError = message;
        forcesOf = file;
    }

    /** From now on, every open fails with {@code message}, as EMFILE or EACCES would. */
    public void failOpens(String message) {
        openError = message;
    }

    @Override
    public FileChannel open(Path path, OpenOption... options) throws IOException {
        String message = openError;
        if (message != null) {
            throw new java.nio.file.FileSystemException(path.toString(), null, message + " (injected)");
        }
        return new Faulty(FileChannel.open(path, options), String.valueOf(path.getFileName()));
    }

    private void check() throws IOException {
        if (left.getAndUpdate(n -> n == Integer.MAX_VALUE || n <= 0 ? n : n - 1) <= 0) {
            throw new IOException(error + " (injected)");
        }
    }

    private void checkRead(String file) throws IOException {
        String message = readError;
        String only = readsOf;
        if (message != null && (only == null || only.equals(file))) {
            throw new IOException(message + " (injected)");
        }
    }

    private final class Faulty extends ForwardingFileChannel {
        private final String name;

        Faulty(FileChannel real, String name) {
            super(real);
            this.name = name;
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            checkRead(name);
            return file.read(dst);
        }

        @Override
        public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
            checkRead(name);
            return file.read(dsts, offset, length);
        }

        @Override
        public int read(ByteBuffer dst, long position) throws IOException {
            checkRead(name);
            return file.read(dst, position);
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            check();
            return file.write(src);
        }

        @Override
        public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
            check();
            return file.write(srcs, offset, length);
        }

        @Override
        public int write(ByteBuffer src, long position) throws IOException {
            check();
            return file.write(src, position);
        }

        @Override
        public void force(boolean metaData) throws IOException {
            check();
            if (name.equals(forcesOf)) {
                throw new IOException(forceError + " (injected)");
            }
            file.force(metaData);
        }

        @Override
        public long transferFrom(ReadableByteChannel src, long position, long count) throws IOException {
            check();
            return file.transferFrom(src, position, count);
        }
    }
}
