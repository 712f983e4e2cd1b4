package ar.loteria.central;

import ar.loteria.central.reactor.Limits;
import ar.loteria.central.session.AgencyKeys;
import ar.loteria.common.ConfigException;
import ar.loteria.common.Settings;
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
 * @param agencies       how many agencies the draw waits for ({@code AGENCIES}); with none, it is drawn at once
 * @param storeDirectory where {@code bets.csv}, its commit log, {@code bets.state} and the draw's {@code winners.draw} live
 * @param workers        threads that check and encode batches and run the draw's tally
 * @param limits         what protects the reactor from its peers
 * @param keys           the agencies' secret keys ({@code AGENCY_KEYS}); none means no authentication
 * @param status         where the status view listens ({@code SERVER_STATUS_PORT}, {@code SERVER_STATUS_IP}); empty: it is off
 */
public record ServerConfig(
        String ip,
        int port,
        int listenBacklog,
        String loggingLevel,
        int agencies,
        Path storeDirectory,
        int workers,
        Limits limits,
        AgencyKeys keys,
        Optional<StatusPort> status) {

    /** Where the status view listens: {@code port} 0 takes any free one. */
    public record StatusPort(String ip, int port) {
    }

    static final Set<String> LEVELS = Set.of("TRACE", "DEBUG", "INFO", "WARNING", "WARN", "ERROR", "CRITICAL");

    /** The settings from {@code ini}, each overridden by the variable of the same name in {@code env}. */
    public static ServerConfig load(IniFile ini, Map<String, String> env) throws ConfigException {
        Settings s = new Settings(key -> env.containsKey(key) ? Optional.of(env.get(key)) : ini.get(key),
                key -> "give it in config.ini [DEFAULT] or as an environment variable");
        String level = s.required("LOGGING_LEVEL").toUpperCase(Locale.ROOT);
        if (!LEVELS.contains(level)) {
            throw new ConfigException("LOGGING_LEVEL must be one of DEBUG, INFO, WARNING, ERROR, CRITICAL: \"" + level + "\"");
        }
        int agencies = s.integer("AGENCIES", 5, 0, 0xFFFF);
        Optional<String> keys = s.optional("AGENCY_KEYS");
        int port = s.integer("SERVER_PORT", 0, 65535);
        return new ServerConfig(
                s.required("SERVER_IP"),
                port,
                s.integer("SERVER_LISTEN_BACKLOG", 1, 65535),
                level,
                agencies,
                Path.of(s.optional("SERVER_STORE_DIR").orElse(".")),
                s.integer("SERVER_WORKERS", 2, 1, 64),
                new Limits(
                        s.integer("SERVER_MAX_CONNECTIONS", 10_240, 1, 1_000_000),
                        s.integer("SERVER_MAX_CONNECTIONS_PER_IP", 128, 1, 1_000_000),
                        millis(s, "SERVER_IDLE_TIMEOUT_MS", 30_000),
                        millis(s, "SERVER_REQUEST_TIMEOUT_MS", 30_000),
                        millis(s, "SERVER_WRITE_TIMEOUT_MS", 30_000),
                        millis(s, "SERVER_HANDSHAKE_TIMEOUT_MS", (int) Limits.DEFAULT_HANDSHAKE_TIMEOUT.toMillis()),
                        s.integer("SERVER_MIN_REQUEST_RATE", Limits.DEFAULT_MIN_REQUEST_RATE, 0, Integer.MAX_VALUE)),
                keys.isPresent() ? AgencyKeys.parse(keys.get(), agencies) : AgencyKeys.none(),
                status(s, port));
    }

    /** Off unless SERVER_STATUS_PORT is set; on loopback unless SERVER_STATUS_IP says otherwise; never the lottery's port. */
    private static Optional<StatusPort> status(Settings s, int lotteryPort) throws ConfigException {
        if (s.optional("SERVER_STATUS_PORT").isEmpty()) {
            return Optional.empty();
        }
        int port = s.integer("SERVER_STATUS_PORT", 0, 65535);
        if (port != 0 && port == lotteryPort) {
            throw new ConfigException("SERVER_STATUS_PORT must not be SERVER_PORT (" + port + "): the status view is never served on the lottery's port");
        }
        return Optional.of(new StatusPort(s.optional("SERVER_STATUS_IP").orElse("127.0.0.1"), port));
    }

    public static ServerConfig load(Path iniPath, Map<String, String> env) throws ConfigException {
        return load(IniFile.read(iniPath), env);
    }

    private static Duration millis(Settings s, String key, int fallback) throws ConfigException {
        return Duration.ofMillis(s.integer(key, fallback, 1, Integer.MAX_VALUE));
    }

    /** The same settings with other limits. */
    public ServerConfig withLimits(Limits other) {
        return new ServerConfig(ip, port, listenBacklog, loggingLevel, agencies, storeDirectory, workers, other, keys, status);
    }

    /** The same settings with other keys. */
    public ServerConfig withKeys(AgencyKeys other) {
        return new ServerConfig(ip, port, listenBacklog, loggingLevel, agencies, storeDirectory, workers, limits, other, status);
    }

    /** The same settings with the status view on {@code ip}:{@code port}. */
    public ServerConfig withStatus(String statusIp, int statusPort) {
        return new ServerConfig(ip, port, listenBacklog, loggingLevel, agencies, storeDirectory, workers, limits, keys,
                Optional.of(new StatusPort(statusIp, statusPort)));
    }
}
