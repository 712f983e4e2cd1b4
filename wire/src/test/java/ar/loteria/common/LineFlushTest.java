package ar.loteria.common;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** stdout's buffer: a line per write, but a held run of lines in one, and never later than another thread's line. */
class LineFlushTest {
    /** What reached the file descriptor, write by write. */
    private static final class Writes extends OutputStream {
        final List<String> writes = new ArrayList<>();

        @Override
        public void write(int b) {
            writes.add(String.valueOf((char) b));
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            writes.add(new String(b, off, len, StandardCharsets.UTF_8));
        }
    }

    private final Writes fd = new Writes();
    private final LineFlush lines = new LineFlush(fd);
    private final PrintStream out = new PrintStream(lines, true, StandardCharsets.UTF_8);

    @Test
    void eachLineLeavesInAWriteOfItsOwn() {
        out.print("a\n");
        out.print("b\n");
        assertEquals(List.of("a\n", "b\n"), fd.writes);
    }

    @Test
    void aHeldRunOfLinesLeavesInOneWriteAtItsRelease() {
        lines.hold();
        out.print("a\n");
        out.print("b\n");
        out.print("c\n");
        assertEquals(List.of(), fd.writes, "held");
        lines.release();
        assertEquals(List.of("a\nb\nc\n"), fd.writes);
        out.print("d\n");
        assertEquals(List.of("a\nb\nc\n", "d\n"), fd.writes, "released: a line a write again");
    }

    @Test
    void anotherThreadsLineTakesTheHeldOnesWithIt() throws Exception {
        lines.hold();
        out.print("held\n");
        Thread other = new Thread(() -> out.print("other\n"));
        other.start();
        other.join();
        assertEquals(List.of("held\nother\n"), fd.writes, "the other thread's line is not held, and the held one goes out before it");
        lines.release();
        assertEquals(List.of("held\nother\n"), fd.writes, "nothing left to write");
    }
}
