package ar.loteria.common;

import java.io.FileInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.locks.LockSupport;
import java.util.Map;
import org.tinylog.configuration.Configuration;
import org.tinylog.provider.ProviderRegistry;

/**
 * The log, set up once per program: stdout, in the course's format
 * ({@code YYYY-MM-DD HH:MM:SS LEVEL    message}). No writer thread: a line is written and
 * flushed by the thread that logs it, so it is out before whatever that thread does next.
 */
public final class Console {
    private Console() {
    }

    /** {@code level}: a Python (DEBUG, INFO, WARNING, ERROR, CRITICAL) or Go (… WARN, FATAL, PANIC) level name. */
    public static void configure(String level) {
        Configuration.replace(Map.of(
                "writer", "console",
                "writer.stream", "out",
                "writer.level", tinylogLevel(level),
                "writer.format", "{date:yyyy-MM-dd HH:mm:ss} {level|min-size=8} {message}",
                "writingthread", "false",
                "autoshutdown", "false"));
    }

    static String tinylogLevel(String level) {
        switch (level.toUpperCase(Locale.ROOT)) {
            case "WARNING":
                return "warn";
            case "CRITICAL":
            case "FATAL":
            case "PANIC":
                return "error";
            default:
                return level.toLowerCase(Locale.ROOT);
        }
    }

    /**
     * Waits, at most {@code max}, until whoever reads this process's stdout has taken every byte
     * written so far, when stdout is a pipe (as under Docker, whose log copier stamps a line when
     * it reads it), then a couple of milliseconds more for the copier's own hop. Returns at once
     * when stdout is a terminal or a file. For the rare line whose order against another
     * process's lines matters; it never blocks the reactor.
     */
    public static void awaitReader(Duration max) {
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

    /** Lets the logging provider go, at exit. */
    public static void shutdown() {
        try {
            ProviderRegistry.getLoggingProvider().shutdown();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
