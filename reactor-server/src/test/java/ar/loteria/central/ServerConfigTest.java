package ar.loteria.central;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServerConfigTest {
    private static final List<String> COURSE_INI = List.of(
            "[DEFAULT]",
            "SERVER_PORT = 12345",
            "SERVER_IP = server",
            "SERVER_LISTEN_BACKLOG = 5",
            "LOGGING_LEVEL = DEBUG");

    private static ServerConfig load(List<String> ini, Map<String, String> env) throws ConfigException {
        return ServerConfig.load(IniFile.parse("config.ini", ini), env);
    }

    @Test
    void theCourseFileAloneIsEnoughAndEverythingElseHasADefault() throws Exception {
        ServerConfig config = load(COURSE_INI, Map.of());
        assertEquals(new ServerConfig("server", 12345, 5, "DEBUG", 5, Path.of("."), 2, 10_240, Duration.ofSeconds(30)), config);
    }

    @Test
    void keysAreCaseInsensitiveAndCommentsAndColonsAreUnderstood() throws Exception {
        ServerConfig config = load(List.of("# the central", "[DEFAULT]", "server_port: 1", "; nothing", "server_ip=host",
                "Server_Listen_Backlog = 9", "logging_level = info"), Map.of());
        assertEquals(1, config.port());
        assertEquals("host", config.ip());
        assertEquals(9, config.listenBacklog());
        assertEquals("INFO", config.loggingLevel());
    }

    @Test
    void theEnvironmentOverridesTheFile() throws Exception {
        ServerConfig config = load(COURSE_INI, Map.of("SERVER_PORT", "4000", "LOGGING_LEVEL", "WARNING", "AGENCIES", "12",
                "SERVER_IDLE_TIMEOUT_MS", "500", "SERVER_STORE_DIR", "/data"));
        assertEquals(4000, config.port());
        assertEquals("WARNING", config.loggingLevel());
        assertEquals(12, config.agencies());
        assertEquals(Duration.ofMillis(500), config.idleTimeout());
        assertEquals(Path.of("/data"), config.storeDirectory());
    }

    @Test
    void aMissingKeyIsNamed() {
        ConfigException e = assertThrows(ConfigException.class, () -> load(COURSE_INI.subList(0, 4), Map.of()));
        assertEquals("LOGGING_LEVEL is not set: give it in config.ini [DEFAULT] or as an environment variable", e.getMessage());
    }

    @Test
    void unparseableValuesAreNamedWithWhatWasGiven() {
        assertEquals("SERVER_PORT must be an integer: \"12a\"",
                assertThrows(ConfigException.class, () -> load(COURSE_INI, Map.of("SERVER_PORT", "12a"))).getMessage());
        assertEquals("SERVER_PORT must be between 0 and 65535: 70000",
                assertThrows(ConfigException.class, () -> load(COURSE_INI, Map.of("SERVER_PORT", "70000"))).getMessage());
        assertEquals("LOGGING_LEVEL must be one of DEBUG, INFO, WARNING, ERROR, CRITICAL: \"LOUD\"",
                assertThrows(ConfigException.class, () -> load(COURSE_INI, Map.of("LOGGING_LEVEL", "loud"))).getMessage());
        assertEquals("AGENCIES must be between 0 and 65535: -1",
                assertThrows(ConfigException.class, () -> load(COURSE_INI, Map.of("AGENCIES", "-1"))).getMessage());
    }

    @Test
    void aBrokenFileSaysWhereItIsBroken() {
        ConfigException e = assertThrows(ConfigException.class, () -> load(List.of("[DEFAULT]", "SERVER_PORT 12345"), Map.of()));
        assertEquals("config.ini line 2: expected key = value: SERVER_PORT 12345", e.getMessage());
    }
}
