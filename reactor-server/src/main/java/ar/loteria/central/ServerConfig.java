package ar.loteria.central;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The central's settings. The four keys of the course come from {@code config.ini}'s
 * {@code [DEFAULT]} section; an environment variable of the same name overrides the file.
 * Everything else has a default, and may be set the same two ways.
 *
 * @param agencies        how many agencies the draw waits for ({@code AGENCIES}); with none, it is drawn at once
 * @param storeDirectory  where {@code bets.csv} and its commit log live
 * @param workers         threads that persist batches and run the draw
 * @param maxConnections  past it, a new connection is closed at once
 * @param idleTimeout     a connection that sends nothing for this long is closed, unless it waits for the draw
 */
public record ServerConfig(
        String ip,
        int port,
        int listenBacklog,
        String loggingLevel,
        int agencies,
        Path storeDirectory,
        int workers,
        int maxConnections,
        Duration idleTimeout) {

    static final Set<String> LEVELS = Set.of("TRACE", "DEBUG", "INFO", "WARNING", "WARN", "ERROR", "CRITICAL");

    /** The settings from {@code ini}, each overridden by the variable of the same name in {@code env}. */
    public static ServerConfig load(IniFile ini, Map<String, String> env) throws ConfigException {
        Settings s = new Settings(ini, env);
        String level = s.required("LOGGING_LEVEL").toUpperCase(Locale.ROOT);
        if (!LEVELS.contains(level)) {
            throw new ConfigException("LOGGING_LEVEL must be one of DEBUG, INFO, WARNING, ERROR, CRITICAL: \"" + level + "\"");
        }
        return new ServerConfig(
                s.required("SERVER_IP"),
                s.integer("SERVER_PORT", null, 0, 65535),
                s.integer("SERVER_LISTEN_BACKLOG", null, 1, 65535),
                level,
                s.integer("AGENCIES", 5, 0, 0xFFFF),
                Path.of(s.optional("SERVER_STORE_DIR").orElse(".")),
                s.integer("SERVER_WORKERS", 2, 1, 64),
                s.integer("SERVER_MAX_CONNECTIONS", 10_240, 1, 1_000_000),
                Duration.ofMillis(s.integer("SERVER_IDLE_TIMEOUT_MS", 30_000, 1, Integer.MAX_VALUE)));
    }

    public static ServerConfig load(Path iniPath, Map<String, String> env) throws ConfigException {
        return load(IniFile.read(iniPath), env);
    }

    /** Looks a key up in the environment first, then in the file. */
    private static final class Settings {
        private final IniFile ini;
        private final Map<String, String> env;

        Settings(IniFile ini, Map<String, String> env) {
            this.ini = ini;
            this.env = env;
        }

        Optional<String> optional(String key) {
            String fromEnv = env.get(key);
            Optional<String> value = fromEnv != null ? Optional.of(fromEnv.strip()) : ini.get(key);
            return value.filter(v -> !v.isEmpty());
        }

        String required(String key) throws ConfigException {
            Optional<String> value = optional(key);
            if (value.isEmpty()) {
                throw new ConfigException(key + " is not set: give it in config.ini [DEFAULT] or as an environment variable");
            }
            return value.get();
        }

        int integer(String key, Integer fallback, int min, int max) throws ConfigException {
            Optional<String> value = optional(key);
            if (value.isEmpty() && fallback != null) {
                return fallback;
            }
            String text = value.isPresent() ? value.get() : required(key);
            try {
                int n = Integer.parseInt(text);
                if (n < min || n > max) {
                    throw new ConfigException(key + " must be between " + min + " and " + max + ": " + n);
                }
                return n;
            } catch (NumberFormatException e) {
                throw new ConfigException(key + " must be an integer: \"" + text + "\"");
            }
        }
    }
}
