package ar.loteria.central.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;

/**
 * A file of the store opened to read acknowledged rows back (the draw's): a read the disk fails
 * is {@link Unreadable}, damage a person must look at. Nothing else is: failing to open the file
 * (too many open files, no permission, the file gone), closing it, or a read cut off by an
 * interrupt or a close ({@link ClosedChannelException}) say nothing of the rows, and pass as
 * they are, a draw that failed and is made again at the next start.
 */
final class ReadBack extends FileChannel {
    private final FileChannel file;
    private final String name;

    private ReadBack(FileChannel file, String name) {
        this.file = file;
        this.name = name;
    }

    /** Opens the store's files with {@code files}, each as a {@link ReadBack}. */
    static Store.FileOpener over(Store.FileOpener files) {
        return (path, options) -> new ReadBack(files.open(path, options), String.valueOf(path.getFileName()));
    }

    private Unreadable unreadable(long position, IOException e) {
        return new Unreadable(name, position, e);
    }

    @Override
    public int read(ByteBuffer dst, long position) throws IOException {
        try {
            return file.read(dst, position);
        } catch (ClosedChannelException e) {
            throw e;
        } catch (IOException e) {
            throw unreadable(position, e);
        }
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        long position = file.position();
        try {
            return file.read(dst);
        } catch (ClosedChannelException e) {
            throw e;
        } catch (IOException e) {
            throw unreadable(position, e);
        }
    }

    @Override
    public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
        long position = file.position();
        try {
            return file.read(dsts, offset, length);
        } catch (ClosedChannelException e) {
            throw e;
        } catch (IOException e) {
            throw unreadable(position, e);
        }
    }

    @Override
    public long transferTo(long position, long count, WritableByteChannel target) throws IOException {
        return file.transferTo(position, count, target); // where it fails, reading or writing, is not known: not taken for damage
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        return file.write(src);
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        return file.write(srcs, offset, length);
    }

    @Override
    public int write(ByteBuffer src, long position) throws IOException {
        return file.write(src, position);
    }

    @Override
    public long position() throws IOException {
        return file.position();
    }

    @Override
    public FileChannel position(long newPosition) throws IOException {
        file.position(newPosition);
        return this;
    }

    @Override
    public long size() throws IOException {
        return file.size();
    }

    @Override
    public FileChannel truncate(long size) throws IOException {
        file.truncate(size);
        return this;
    }

    @Override
    public void force(boolean metaData) throws IOException {
        file.force(metaData);
    }

    @Override
    public long transferFrom(ReadableByteChannel src, long position, long count) throws IOException {
        return file.transferFrom(src, position, count);
    }

    @Override
    public MappedByteBuffer map(MapMode mode, long position, long size) throws IOException {
        return file.map(mode, position, size);
    }

    @Override
    public FileLock lock(long position, long size, boolean shared) throws IOException {
        return file.lock(position, size, shared);
    }

    @Override
    public FileLock tryLock(long position, long size, boolean shared) throws IOException {
        return file.tryLock(position, size, shared);
    }

    @Override
    protected void implCloseChannel() throws IOException {
        file.close();
    }
}
