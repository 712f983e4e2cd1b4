package ar.loteria.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConsoleTest {
    /** Counts the writes: a line must be one. */
    private static final class Writes extends OutputStream {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int writes;

        @Override
        public synchronized void write(int b) {
            writes++;
            bytes.write(b);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            writes++;
            bytes.write(b, off, len);
        }
    }

    @Test
    void eachLineIsOneWriteInTheCoursesFormatAndLevelsBelowTheThresholdCostNothing() {
        Writes out = new Writes();
        Console console = new Console(Console.Level.INFO, out);
        console.debug("not shown");
        console.info("action: sorteo | result: success");
        console.warn("Fornerón");
        console.error("boom");
        String[] lines = out.bytes.toString(StandardCharsets.UTF_8).split("\n");
        assertEquals(3, lines.length);
        assertEquals(3, out.writes, "one write per line");
        assertTrue(lines[0].matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d INFO     action: sorteo \\| result: success"), lines[0]);
        assertTrue(lines[1].matches(".{20}WARN     Fornerón"), lines[1]);
        assertTrue(lines[2].matches(".{20}ERROR    boom"), lines[2]);
    }

    @Test
    void levelNamesOfPythonAndGoBothWork() {
        assertEquals(Console.Level.WARN, Console.level("WARNING"));
        assertEquals(Console.Level.WARN, Console.level("warn"));
        assertEquals(Console.Level.ERROR, Console.level("CRITICAL"));
        assertEquals(Console.Level.ERROR, Console.level("PANIC"));
        assertEquals(Console.Level.DEBUG, Console.level("TRACE"));
    }

    @Test
    void linesOfManyThreadsNeverInterleave() throws Exception {
        Writes out = new Writes();
        Console console = new Console(Console.Level.DEBUG, out);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            int id = t;
            threads.add(new Thread(() -> {
                for (int i = 0; i < 2_000; i++) {
                    console.info("thread " + id + " line " + i + " " + "x".repeat(i % 300));
                }
            }));
        }
        threads.forEach(Thread::start);
        for (Thread t : threads) {
            t.join();
        }
        String[] lines = out.bytes.toString(StandardCharsets.UTF_8).split("\n");
        assertEquals(16_000, lines.length);
        for (String line : lines) {
            assertTrue(line.matches(".{20}INFO     thread \\d line \\d+ x*"), line);
        }
    }
}
