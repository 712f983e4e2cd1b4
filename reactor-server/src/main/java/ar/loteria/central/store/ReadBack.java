package ar.loteria.central.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;

/**
 * A file of the store opened to read acknowledged rows back (the draw's): a read the disk fails
 * is {@link Unreadable}, damage a person must look at. Nothing else is: failing to open the file
 * (too many open files, no permission, the file gone), closing it, or a read cut off by an
 * interrupt or a close ({@link ClosedChannelException}) say nothing of the rows, and pass as
 * they are, a draw that failed and is made again at the next start.
 */
final class ReadBack extends ForwardingFileChannel {
    private final String name;

    private ReadBack(FileChannel file, String name) {
        super(file);
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

    // transferTo is forwarded as it is: where it fails, reading or writing, is not known, so it is not taken for damage.
}
