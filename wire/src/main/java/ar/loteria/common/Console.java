package ar.loteria.common;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.Locale;
import java.util.concurrent.locks.LockSupport;

/**
 * A program's log: lines on stdout in the course's format,
 * {@code YYYY-MM-DD HH:MM:SS LEVEL    message}. There is no writer thread and no buffer: each line
 * is one write to the file descriptor, made by the thread that logs it, so it is out before
 * whatever that thread does next (the order the course's tests check). Lines of different threads
 * never interleave. Below its level a line costs one comparison once its text is made; where
 * lines come per bet, the caller asks {@link #logs} first and makes none.
 */
public final class Console {
    /** The levels, in the names both programs print. */
    public enum Level {
        DEBUG("DEBUG    "),
        INFO("INFO     "),
        WARN("WARN     "),
        ERROR("ERROR    ");

        /** The name as printed: padded to eight, then the space before the message. */
        final String padded;

        Level(String padded) {
            this.padded = padded;
        }
    }

    private final Level threshold;
    private final OutputStream out;
    private final ZoneId zone = ZoneId.systemDefault();
    private final StringBuilder line = new StringBuilder(160);
    private long second = Long.MIN_VALUE;
    private final char[] stamp = new char[20];

    /** A console at {@code level}, writing to stdout. */
    public Console(Level level) {
        this(level, new FileOutputStream(FileDescriptor.out));
    }

    public Console(Level level, OutputStream out) {
        this.threshold = level;
        this.out = out;
    }

    /**
     * A console at the level a setting names: a Python name (DEBUG, INFO, WARNING, ERROR,
     * CRITICAL) or a Go one (… WARN, FATAL, PANIC); TRACE logs as DEBUG.
     */
    public static Console at(String level) {
        return new Console(level(level));
    }

    static Level level(String name) {
        switch (name.toUpperCase(Locale.ROOT)) {
            case "TRACE":
            case "DEBUG":
                return Level.DEBUG;
            case "INFO":
                return Level.INFO;
            case "WARN":
            case "WARNING":
                return Level.WARN;
            default:
                return Level.ERROR; // ERROR, CRITICAL, FATAL, PANIC
        }
    }

    public boolean logs(Level level) {
        return level.compareTo(threshold) >= 0;
    }

    public void debug(String message) {
        log(Level.DEBUG, message);
    }

    public void info(String message) {
        log(Level.INFO, message);
    }

    public void warn(String message) {
        log(Level.WARN, message);
    }

    public void error(String message) {
        log(Level.ERROR, message);
    }

    public void log(Level level, String message) {
        if (!logs(level)) {
            return;
        }
        byte[] bytes;
        synchronized (this) {
            line.setLength(0);
            line.append(stamp(System.currentTimeMillis() / 1000), 0, stamp.length).append(level.padded).append(message).append('\n');
            bytes = line.toString().getBytes(StandardCharsets.UTF_8);
            try {
                out.write(bytes); // one write: the line is out, whole, before the caller goes on
            } catch (IOException e) {
                // stdout is gone (the reader closed it): nothing else to tell it with
            }
        }
    }

    /** "yyyy-MM-dd HH:mm:ss " of {@code epochSecond}, made once a second. */
    private char[] stamp(long epochSecond) {
        if (epochSecond != second) {
            second = epochSecond;
            LocalDateTime t = LocalDateTime.ofEpochSecond(epochSecond, 0, zone.getRules().getOffset(Instant.ofEpochSecond(epochSecond)));
            digits(0, t.getYear(), 4);
            stamp[4] = '-';
            digits(5, t.getMonthValue(), 2);
            stamp[7] = '-';
            digits(8, t.getDayOfMonth(), 2);
            stamp[10] = ' ';
            digits(11, t.getHour(), 2);
            stamp[13] = ':';
            digits(14, t.getMinute(), 2);
            stamp[16] = ':';
            digits(17, t.getSecond(), 2);
            stamp[19] = ' ';
        }
        return stamp;
    }

    private void digits(int at, int value, int width) {
        for (int i = at + width - 1; i >= at; i--) {
            stamp[i] = (char) ('0' + value % 10);
            value /= 10;
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
}
