package ar.loteria.central;

import java.util.Locale;
import java.util.Map;
import org.tinylog.configuration.Configuration;
import org.tinylog.provider.ProviderRegistry;

/** tinylog, set up once, to print on stdout as the course's Python logging does. */
final class Logging {
    private Logging() {
    }

    /** {@code level} is a Python level name: DEBUG, INFO, WARNING, ERROR or CRITICAL. */
    static void configure(String level) {
        Configuration.replace(Map.of(
                "writer", "console",
                "writer.stream", "out",
                "writer.level", tinylogLevel(level),
                "writer.format", "{date:yyyy-MM-dd HH:mm:ss} {level|min-size=8} {message}",
                "writingthread", "false",
                "autoshutdown", "false"));
    }

    static String tinylogLevel(String pythonLevel) {
        switch (pythonLevel.toUpperCase(Locale.ROOT)) {
            case "WARNING":
                return "warn";
            case "CRITICAL":
                return "error";
            default:
                return pythonLevel.toLowerCase(Locale.ROOT);
        }
    }

    /** Writes out what is still queued. */
    static void shutdown() {
        try {
            ProviderRegistry.getLoggingProvider().shutdown();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
