package ar.loteria.common;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * What both programs do to their stdout before their first log line (not the protocol): UTF-8
 * whatever the locale, and the level names of their configurations in tinylog's words. The
 * logging itself is tinylog's, set up by each program.
 */
public final class StdoutSetup {
    private StdoutSetup() {
    }

    /**
     * stdout in UTF-8, flushed at each line's end so that each line leaves in one write (a
     * container's locale is POSIX, whose stdout would print accented names as '?'). Returns its
     * buffer, which a thread may hold for a run of lines ({@link LineFlush}).
     */
    public static LineFlush utf8() {
        LineFlush lines = new LineFlush(new FileOutputStream(FileDescriptor.out));
        System.setOut(new PrintStream(lines, true, StandardCharsets.UTF_8));
        return lines;
    }

    /**
     * tinylog's level for a configured one: Python's names (DEBUG, INFO, WARNING, ERROR,
     * CRITICAL), Go's (… WARN, FATAL, PANIC) and TRACE, which logs as DEBUG.
     */
    public static String tinylogLevel(String name) {
        switch (name.toUpperCase(Locale.ROOT)) {
            case "TRACE":
            case "DEBUG":
                return "debug";
            case "INFO":
                return "info";
            case "WARN":
            case "WARNING":
                return "warn";
            default:
                return "error"; // ERROR, CRITICAL, FATAL, PANIC
        }
    }
}
