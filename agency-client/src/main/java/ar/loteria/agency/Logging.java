package ar.loteria.agency;

import java.util.Locale;
import java.util.Map;
import org.tinylog.configuration.Configuration;
import org.tinylog.provider.ProviderRegistry;

/** tinylog, set up once, to print on stdout in the course's format. */
final class Logging {
    private Logging() {
    }

    /** {@code level} is a Go log level name: DEBUG, INFO, WARN, ERROR... */
    static void configure(String level) {
        Configuration.replace(Map.of(
                "writer", "console",
                "writer.stream", "out",
                "writer.level", tinylogLevel(level),
                "writer.format", "{date:yyyy-MM-dd HH:mm:ss} {level|min-size=8} {message}",
                "writingthread", "false",
                "autoshutdown", "false"));
    }

    private static String tinylogLevel(String level) {
        switch (level.toUpperCase(Locale.ROOT)) {
            case "WARNING":
                return "warn";
            case "FATAL":
            case "PANIC":
                return "error";
            default:
                return level.toLowerCase(Locale.ROOT);
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
