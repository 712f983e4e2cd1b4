package ar.loteria.agency;

import ar.loteria.common.ConfigException;
import ar.loteria.common.Settings;
import ar.loteria.wire.Bet;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * The agency's settings: the course's keys from {@code config.yaml}, each overridden by its
 * {@code CLI_} environment variable ({@code server.address} by {@code CLI_SERVER_ADDRESS}), and
 * ours the same way ({@code id}, {@code batch.window}, {@code connect.*}, {@code reply.timeout},
 * {@code winners.timeout}); the key, the mode, the data file and the one bet from the
 * environment alone.
 *
 * @param mode           what to run: the course's echo loop, or the agency
 * @param batchWindow    how many batches may wait for their acknowledgement at once
 * @param key            the agency's secret ({@code CLI_KEY}), proving to the central who it is
 * @param dataFile       the agency's bets ({@code CLI_DATA_FILE})
 * @param singleBet      one bet given in NOMBRE, APELLIDO, DOCUMENTO, NACIMIENTO and NUMERO, instead of the file
 * @param connectDeadline how long the agency keeps trying, from the first failure since the
 *                        central last acknowledged something new, before it gives up
 * @param connectBackoff the least wait between two tries, the base of the backoff (see {@link Backoff})
 * @param replyTimeout   how long a batch may wait for its reply before the connection is deemed lost
 * @param winnersTimeout how long to wait for the draw on one connection before asking again on a new one
 */
public record AgencyConfig(
        int id,
        String serverAddress,
        int loopAmount,
        Duration loopPeriod,
        String logLevel,
        int batchMaxAmount,
        int batchWindow,
        Mode mode,
        Optional<String> key,
        Path dataFile,
        Optional<Bet> singleBet,
        Duration connectDeadline,
        Duration connectBackoff,
        Duration replyTimeout,
        Duration winnersTimeout) {

    public enum Mode {
        AGENCY,
        ECHO
    }

    static final Set<String> LEVELS = Set.of("TRACE", "DEBUG", "INFO", "WARN", "WARNING", "ERROR", "FATAL", "PANIC");
    private static final List<String> BET_VARIABLES = List.of("NOMBRE", "APELLIDO", "DOCUMENTO", "NACIMIENTO", "NUMERO");
    /**
     * Batches in flight when config.yaml does not say: the most allowed, as a window of 16 (848
     * bets) left an agency waiting on the central's forces (5 x 400,000 bets: 1.61-1.67 s at 16,
     * 1.45-1.48 s at 32, 1.33-1.40 s at 64; see BENCHMARKS.md). The central's heap stays within
     * its budgets whatever the window (it reads no more than its input budget and stops reading a
     * session 64 replies behind), but more batches at once touch more of it: its RSS after the
     * course's dataset is 2-3 MiB higher than at 16 outside Docker. A rejected batch fails the
     * batches behind it in the window too (an offset gap), each with its line.
     */
    static final int DEFAULT_WINDOW = 64;

    public String host() {
        return serverAddress.substring(0, serverAddress.lastIndexOf(':'));
    }

    public int port() {
        return Integer.parseInt(serverAddress.substring(serverAddress.lastIndexOf(':') + 1));
    }

    /** Reads {@code yamlPath} (which may be missing: the environment may give everything) and {@code env}. */
    public static AgencyConfig load(Path yamlPath, Map<String, String> env) throws ConfigException {
        return load(readYaml(yamlPath), env);
    }

    static AgencyConfig load(Map<String, Object> yaml, Map<String, String> env) throws ConfigException {
        Settings s = new Settings(key -> lookup(yaml, env, key), key -> "give it in config.yaml or as " + variable(key));
        String address = s.optional("server.address").orElse("server:12345");
        int colon = address.lastIndexOf(':');
        if (colon <= 0 || !address.substring(colon + 1).matches("[0-9]{1,5}") || Integer.parseInt(address.substring(colon + 1)) > 65535) {
            throw new ConfigException("server.address must be host:port: \"" + address + "\"");
        }
        String level = s.required("log.level").toUpperCase(Locale.ROOT);
        if (!LEVELS.contains(level)) {
            throw new ConfigException("log.level must be one of DEBUG, INFO, WARN, ERROR: \"" + level + "\"");
        }
        String mode = env.getOrDefault("CLI_MODE", "agency").strip().toUpperCase(Locale.ROOT);
        if (!mode.equals("AGENCY") && !mode.equals("ECHO")) {
            throw new ConfigException("CLI_MODE must be agency or echo: \"" + env.get("CLI_MODE") + "\"");
        }
        Optional<String> key = Optional.ofNullable(env.get("CLI_KEY")).map(String::strip).filter(k -> !k.isEmpty());
        return new AgencyConfig(
                s.integer("id", 1, 0xFFFF),
                address,
                s.integer("loop.amount", 0, Integer.MAX_VALUE),
                s.parsed("loop.period", AgencyConfig::duration),
                level,
                s.integer("batch.maxAmount", 1, 0xFFFF),
                s.integer("batch.window", DEFAULT_WINDOW, 1, 64),
                Mode.valueOf(mode),
                key,
                Path.of(env.getOrDefault("CLI_DATA_FILE", "agency.csv")),
                singleBet(env),
                // connect.tries is retired for connect.deadline: an old config that names it still loads, the key unread.
                s.parsed("connect.deadline", Duration.ofMinutes(5), AgencyConfig::positiveDuration),
                s.parsed("connect.backoff", Duration.ofMillis(100), AgencyConfig::duration),
                s.parsed("reply.timeout", Duration.ofSeconds(30), AgencyConfig::duration),
                s.parsed("winners.timeout", Duration.ofMinutes(5), AgencyConfig::duration));
    }

    /** A dotted key: the {@code CLI_} variable first, then the YAML file. */
    private static Optional<String> lookup(Map<String, Object> yaml, Map<String, String> env, String key) {
        String fromEnv = env.get(variable(key));
        if (fromEnv != null) {
            return Optional.of(fromEnv);
        }
        Object node = yaml;
        for (String part : key.split("\\.")) {
            node = node instanceof Map<?, ?> map ? map.get(part) : null;
        }
        return node == null || node instanceof Map ? Optional.empty() : Optional.of(node.toString());
    }

    static String variable(String key) {
        return "CLI_" + key.replace('.', '_').toUpperCase(Locale.ROOT);
    }

    /** A deadline of 0 would give up at the first refusal, which is what the deadline is there to outlast. */
    private static Duration positiveDuration(String text) {
        Duration d = duration(text);
        if (d.isZero()) {
            throw new IllegalArgumentException("must be more than 0: \"" + text + "\"");
        }
        return d;
    }

    private static Duration duration(String text) {
        Duration d = GoDuration.parse(text);
        if (d.isNegative()) {
            throw new IllegalArgumentException("must not be negative: \"" + text + "\"");
        }
        return d;
    }

    /** A bet from the environment, when all five variables are there. */
    private static Optional<Bet> singleBet(Map<String, String> env) throws ConfigException {
        if (!BET_VARIABLES.stream().allMatch(env::containsKey)) {
            return Optional.empty();
        }
        String number = env.get("NUMERO").strip();
        if (number.isEmpty() || number.length() > 9 || !number.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new ConfigException("NUMERO must be an integer: \"" + env.get("NUMERO") + "\"");
        }
        return Optional.of(new Bet(env.get("NOMBRE"), env.get("APELLIDO"), env.get("DOCUMENTO").strip(),
                env.get("NACIMIENTO").strip(), Integer.parseInt(number)));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> readYaml(Path path) throws ConfigException {
        try (Reader reader = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
            Object root = new Yaml(new SafeConstructor(new LoaderOptions())).load(reader);
            if (root == null) {
                return Map.of();
            }
            if (!(root instanceof Map)) {
                throw new ConfigException(path + " must hold a mapping of settings");
            }
            return (Map<String, Object>) root;
        } catch (NoSuchFileException e) {
            return Map.of();
        } catch (IOException | YAMLException e) {
            throw new ConfigException("cannot read " + path + ": " + e.getMessage().replace('\n', ' '));
        }
    }

    /** For a blocking socket: {@code d} in milliseconds, at least 1 (0 would mean forever), at most what an int holds. */
    static int timeoutMillis(Duration d) {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, d.toMillis()));
    }
}
