package ar.loteria.central;

import ar.loteria.common.LineFlush;
import ar.loteria.common.StdoutSetup;
import java.io.FileInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import org.tinylog.configuration.Configuration;

/**
 * The central's stdout as its log: tinylog's console writer in the course's format
 * ({@code YYYY-MM-DD HH:MM:SS LEVEL    message}), from the jar's {@code tinylog.properties} and
 * the level of {@code config.ini}, not from a file a user edits. No writing thread: a line is
 * written and flushed by the thread that logs it, so it is out before whatever that thread does
 * next, which is the order the course's tests check; the journal holds a commit group's lines
 * and writes them at once ({@link LineFlush}), still before any reply of the group.
 */
final class StdoutLog {
    private StdoutLog() {
    }

    /** Before the first line of the process: {@code level} is tinylog's (debug, info, warn, error). Returns stdout's buffer. */
    static LineFlush configure(String level) {
        LineFlush lines = StdoutSetup.utf8();
        Configuration.set("level", level); // the rest is tinylog.properties
        return lines;
    }

    /**
     * Waits, at most {@code max}, until whoever reads this process's stdout has taken every byte
     * written so far, when stdout is a pipe (as under Docker, whose log copier stamps a line when
     * it reads it), then a couple of milliseconds more for the copier's own hop. Returns at once
     * when stdout is a terminal or a file. For the rare line whose order against another
     * process's lines matters; it never blocks the reactor.
     */
    static void awaitReader(Duration max) {
        Path stdout = Path.of("/proc/self/fd/1");
        try {
            if (!Files.readSymbolicLink(stdout).toString().startsWith("pipe:")) {
                return;
            }
            // Opening the pipe by its /proc link gives a read end of the same pipe: available() is
            // what is still unread (FIONREAD). Nothing is ever read from it.
            try (FileInputStream pipe = new FileInputStream(stdout.toFile())) {
                long deadline = System.nanoTime() + max.toNanos();
                while (pipe.available() > 0 && System.nanoTime() - deadline < 0) {
                    LockSupport.parkNanos(100_000);
                }
            }
            LockSupport.parkNanos(2_000_000);
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            // not Linux, or no /proc: nothing to wait for
        }
    }
}
