package ar.loteria.central;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ar.loteria.central.reactor.Limits;
import ar.loteria.central.session.AgencyKeys;
import ar.loteria.common.ConfigException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
        Duration thirty = Duration.ofSeconds(30);
        assertEquals(new Limits(10_240, 128, thirty, thirty, thirty), config.limits());
        assertEquals(List.of("server", 12345, 5, "DEBUG", 5, Path.of("."), 2, false),
                List.of(config.ip(), config.port(), config.listenBacklog(), config.loggingLevel(), config.agencies(),
                        config.storeDirectory(), config.workers(), config.keys().configured()));
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
        assertEquals(Duration.ofMillis(500), config.limits().idleTimeout());
        assertEquals(Limits.DEFAULT_HANDSHAKE_TIMEOUT, config.limits().handshakeTimeout());
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
    void integersAreAsciiDigitsOnly() {
        assertEquals("SERVER_PORT must be an integer: \"١٢٣\"",
                assertThrows(ConfigException.class, () -> load(COURSE_INI, Map.of("SERVER_PORT", "١٢٣"))).getMessage());
        assertEquals("SERVER_IDLE_TIMEOUT_MS must be between 1 and 2147483647: 99999999999",
                assertThrows(ConfigException.class, () -> load(COURSE_INI, Map.of("SERVER_IDLE_TIMEOUT_MS", "99999999999"))).getMessage());
    }

    @Test
    void agencyKeysGiveEachExpectedAgencyItsOwnKey() throws Exception {
        Map<String, String> env = Map.of("AGENCIES", "2", "AGENCY_KEYS", "1:0123456789abcdef0123, 2:fedcba9876543210fedc");
        assertEquals(true, load(COURSE_INI, env).keys().configured());
        assertEquals("AGENCY_KEYS has no key for agency 2: it must give a key to every agency from 1 to 2 (AGENCIES), or be unset",
                assertThrows(ConfigException.class, () -> load(COURSE_INI, Map.of("AGENCIES", "2", "AGENCY_KEYS", "1:0123456789abcdef0123"))).getMessage());
        assertEquals("AGENCY_KEYS has no key for agencies 2, 3, 5: it must give a key to every agency from 1 to 5 (AGENCIES), or be unset",
                assertThrows(ConfigException.class, () -> load(COURSE_INI, Map.of("AGENCIES", "5",
                        "AGENCY_KEYS", "1:0123456789abcdef0123,4:0123456789abcdef0123"))).getMessage(), "every missing agency at once");
        assertEquals("AGENCY_KEYS has a key for agency 3, but the agencies are 1 to 2",
                assertThrows(ConfigException.class, () -> load(COURSE_INI, Map.of("AGENCIES", "2",
                        "AGENCY_KEYS", "1:0123456789abcdef0123,2:0123456789abcdef0123,3:0123456789abcdef0123"))).getMessage());
        assertEquals("AGENCY_KEYS: the key of agency 1 is shorter than 16 bytes",
                assertThrows(ConfigException.class, () -> load(COURSE_INI, Map.of("AGENCIES", "1", "AGENCY_KEYS", "1:short"))).getMessage());
        assertEquals("AGENCY_KEYS: the key of agency 1 is shorter than 16 bytes",
                assertThrows(ConfigException.class, () -> load(COURSE_INI, Map.of("AGENCIES", "1", "AGENCY_KEYS", "1:  fifteen-bytes-k  "))).getMessage(),
                "the spaces around a key are no part of it");
        assertEquals(true, load(COURSE_INI, Map.of("AGENCIES", "1", "AGENCY_KEYS", "1:ñandú-ñandú-ñ")).keys().configured(),
                "13 characters, 18 bytes: a key is measured in bytes");
        ConfigException garbled = assertThrows(ConfigException.class, () -> load(COURSE_INI, Map.of("AGENCIES", "1", "AGENCY_KEYS", "secretsecretsecretsecret")));
        assertEquals(false, garbled.getMessage().contains("secretsecret"), "a key is never shown in an error: " + garbled.getMessage());
        assertEquals(false, AgencyKeys.none().configured());
    }

    @Test
    void theConnectionLimitLeavesRoomForTheStoreAndTheDraw() {
        Duration t = Duration.ofSeconds(1);
        Limits capped = new Limits(10_240, 128, t, t, t).cappedBy(1024);
        assertEquals(824, capped.maxConnections(), "the connections and their lobby fit in the descriptors less the reserve");
        assertTrue(capped.maxConnections() + capped.lobby() <= 1024 - Limits.RESERVED_DESCRIPTORS);
        assertEquals(100, new Limits(100, 128, t, t, t).cappedBy(1024).maxConnections());
        assertEquals(10_240, new Limits(10_240, 128, t, t, t).cappedBy(0).maxConnections(), "no known limit: no cap");
    }

    @Test
    void theStatusViewIsOffUnlessItsPortIsSetAndThenOnLoopback() throws Exception {
        assertEquals(Optional.empty(), load(COURSE_INI, Map.of()).status());
        assertEquals(Optional.empty(), load(COURSE_INI, Map.of("SERVER_STATUS_IP", "0.0.0.0")).status(), "an address alone turns nothing on");
        assertEquals(Optional.of(new ServerConfig.StatusPort("127.0.0.1", 9100)), load(COURSE_INI, Map.of("SERVER_STATUS_PORT", "9100")).status());
        List<String> ini = new ArrayList<>(COURSE_INI);
        ini.add("SERVER_STATUS_PORT = 9100");
        assertEquals(Optional.of(new ServerConfig.StatusPort("0.0.0.0", 9200)),
                load(ini, Map.of("SERVER_STATUS_PORT", "9200", "SERVER_STATUS_IP", "0.0.0.0")).status(), "the environment overrides the file");
        assertEquals(Optional.of(new ServerConfig.StatusPort("127.0.0.1", 0)), load(COURSE_INI, Map.of("SERVER_STATUS_PORT", "0")).status(),
                "0 takes any free port");
    }

    @Test
    void aBadStatusPortIsNamed() {
        assertEquals("SERVER_STATUS_PORT must be an integer: \"http\"",
                assertThrows(ConfigException.class, () -> load(COURSE_INI, Map.of("SERVER_STATUS_PORT", "http"))).getMessage());
        assertEquals("SERVER_STATUS_PORT must be between 0 and 65535: 65536",
                assertThrows(ConfigException.class, () -> load(COURSE_INI, Map.of("SERVER_STATUS_PORT", "65536"))).getMessage());
        assertEquals("SERVER_STATUS_PORT must not be SERVER_PORT (12345): the status view is never served on the lottery's port",
                assertThrows(ConfigException.class, () -> load(COURSE_INI, Map.of("SERVER_STATUS_PORT", "12345"))).getMessage());
    }

    @Test
    void aBrokenFileSaysWhereItIsBroken() {
        ConfigException e = assertThrows(ConfigException.class, () -> load(List.of("[DEFAULT]", "SERVER_PORT 12345"), Map.of()));
        assertEquals("config.ini line 2: expected key = value: SERVER_PORT 12345", e.getMessage());
    }
}
