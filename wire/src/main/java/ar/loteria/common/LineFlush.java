package ar.loteria.common;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * stdout's bytes on their way out, flushed at each line's end (by the {@code PrintStream}'s
 * autoflush) so that a line leaves in one write before its thread goes on; except on the one
 * thread that {@link #hold holds} them for a run of lines, which leave together at {@link
 * #release}: a commit group's lines, one write instead of one per batch, all of them still out
 * before the group's replies. Another thread's line flushes as always and takes held ones with
 * it: a held line only ever leaves earlier than its release, never later. A process that ends
 * without its shutdown (SIGKILL, the JVM's exit on an exhausted heap) while a run is held loses
 * that run's lines, at most this buffer's worth, all of them for effects nobody saw yet.
 */
public final class LineFlush extends BufferedOutputStream {
    /** Room for a large group's lines in one write (about 600 lines of the central's). */
    private static final int BUFFER = 64 * 1024;

    private volatile Thread holder;

    public LineFlush(OutputStream out) {
        super(out, BUFFER);
    }

    /** The calling thread's lines stay in the buffer (until it fills) up to its {@link #release}. One thread holds at a time (the central's journal). */
    public void hold() {
        holder = Thread.currentThread();
    }

    /** Writes what the calling thread's held lines left in the buffer. */
    public void release() {
        if (holder == Thread.currentThread()) {
            holder = null;
        }
        try {
            flush();
        } catch (IOException e) {
            // as a PrintStream does: a stdout that fails loses lines, never the program
        }
    }

    @Override
    public void flush() throws IOException {
        if (holder != Thread.currentThread()) {
            super.flush();
        }
    }
}
