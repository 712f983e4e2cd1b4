package ar.loteria.agency;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ar.loteria.common.ConfigException;

import ar.loteria.wire.Bet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgencyConfigTest {
    @TempDir
    Path dir;

    /** Exactly what the course's tests write. */
    private static final String COURSE_YAML = "server:\n  address: \"server:12345\"\nloop:\n  amount: 5\n  period: \"5s\"\n"
            + "log:\n  level: \"DEBUG\"\nbatch:\n  maxAmount: 99\n";

    private AgencyConfig load(String yaml, Map<String, String> env) throws Exception {
        Path file = dir.resolve("config.yaml");
        Files.writeString(file, yaml);
        return AgencyConfig.load(file, env);
    }

    @Test
    void theCourseFileAndCliIdAreEnough() throws Exception {
        AgencyConfig c = load(COURSE_YAML, Map.of("CLI_ID", "3"));
        assertEquals(3, c.id());
        assertEquals("server", c.host());
        assertEquals(12345, c.port());
        assertEquals(5, c.loopAmount());
        assertEquals(Duration.ofSeconds(5), c.loopPeriod());
        assertEquals("DEBUG", c.logLevel());
        assertEquals(99, c.batchMaxAmount());
        assertEquals(AgencyConfig.Mode.AGENCY, c.mode());
        assertEquals(Path.of("agency.csv"), c.dataFile());
        assertEquals(Optional.empty(), c.singleBet());
        assertEquals(Duration.ofMinutes(5), c.connectDeadline());
        assertEquals(Duration.ofMillis(100), c.connectBackoff());
    }

    @Test
    void eachCliVariableOverridesItsKey() throws Exception {
        Map<String, String> env = new HashMap<>(Map.of("CLI_ID", "2", "CLI_SERVER_ADDRESS", "127.0.0.1:4000", "CLI_LOOP_AMOUNT", "7",
                "CLI_LOOP_PERIOD", "1m30s", "CLI_LOG_LEVEL", "warn", "CLI_BATCH_MAXAMOUNT", "10"));
        env.putAll(Map.of("CLI_MODE", "echo", "CLI_DATA_FILE", "/data/a.csv", "CLI_CONNECT_DEADLINE", "1m30s", "CLI_CONNECT_BACKOFF", "10ms"));
        AgencyConfig c = load(COURSE_YAML, env);
        assertEquals("127.0.0.1:4000", c.serverAddress());
        assertEquals(7, c.loopAmount());
        assertEquals(Duration.ofSeconds(90), c.loopPeriod());
        assertEquals("WARN", c.logLevel());
        assertEquals(10, c.batchMaxAmount());
        assertEquals(AgencyConfig.Mode.ECHO, c.mode());
        assertEquals(Path.of("/data/a.csv"), c.dataFile());
        assertEquals(Duration.ofSeconds(90), c.connectDeadline());
        assertEquals(Duration.ofMillis(10), c.connectBackoff());
    }

    /** connect.tries is retired: a config written for the agency before still loads, and its connect.backoff is the backoff's base. */
    @Test
    void anOldConfigThatNamesConnectTriesStillLoads() throws Exception {
        AgencyConfig c = load(COURSE_YAML + "connect:\n  tries: 30\n  backoff: \"250ms\"\n", Map.of("CLI_ID", "1", "CLI_CONNECT_TRIES", "200"));
        assertEquals(Duration.ofMinutes(5), c.connectDeadline());
        assertEquals(Duration.ofMillis(250), c.connectBackoff());
    }

    @Test
    void aConnectDeadlineOfZeroIsRefused() {
        assertEquals("connect.deadline: must be more than 0: \"0s\"",
                assertThrows(ConfigException.class, () -> load(COURSE_YAML, Map.of("CLI_ID", "1", "CLI_CONNECT_DEADLINE", "0s"))).getMessage());
    }

    @Test
    void aBetInTheEnvironmentIsTheOnlyBet() throws Exception {
        AgencyConfig c = load(COURSE_YAML, Map.of("CLI_ID", "1", "NOMBRE", "Santiago Lionel", "APELLIDO", "Lorca",
                "DOCUMENTO", "30904465", "NACIMIENTO", "1999-03-17", "NUMERO", "7574"));
        assertEquals(Optional.of(new Bet("Santiago Lionel", "Lorca", "30904465", "1999-03-17", 7574)), c.singleBet());
    }

    @Test
    void missingAndUnparseableValuesAreNamed() {
        assertEquals("id is not set: give it in config.yaml or as CLI_ID",
                assertThrows(ConfigException.class, () -> load(COURSE_YAML, Map.of())).getMessage());
        assertEquals("loop.period: missing unit in duration \"5\" (use ns, us, ms, s, m or h)",
                assertThrows(ConfigException.class, () -> load(COURSE_YAML, Map.of("CLI_ID", "1", "CLI_LOOP_PERIOD", "5"))).getMessage());
        assertEquals("batch.maxAmount must be an integer: \"many\"",
                assertThrows(ConfigException.class, () -> load(COURSE_YAML, Map.of("CLI_ID", "1", "CLI_BATCH_MAXAMOUNT", "many"))).getMessage());
        assertEquals("server.address must be host:port: \"server\"",
                assertThrows(ConfigException.class, () -> load(COURSE_YAML, Map.of("CLI_ID", "1", "CLI_SERVER_ADDRESS", "server"))).getMessage());
        assertEquals("log.level is not set: give it in config.yaml or as CLI_LOG_LEVEL",
                assertThrows(ConfigException.class, () -> load("loop:\n  amount: 1\n  period: 1s\n", Map.of("CLI_ID", "1"))).getMessage());
    }

    @Test
    void theShippedConfigFitsTheWorstCaseBatchInOneFrame() throws Exception {
        AgencyConfig shipped = AgencyConfig.load(Path.of("config.yaml"), Map.of("CLI_ID", "1"));
        assertEquals(53, shipped.batchMaxAmount());
        assertEquals(Duration.ofSeconds(5), shipped.loopPeriod());
    }
}
