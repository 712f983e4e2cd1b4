package ar.loteria.agency;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ar.loteria.central.RunningCentral;
import ar.loteria.central.RunningProgram;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agency as the course runs it: a real process, its stdout, its exit code. */
class AgencyProcessTest {
    @TempDir
    Path dir;

    private RunningProgram agency(String yaml, Map<String, String> env) throws IOException {
        Files.writeString(dir.resolve("config.yaml"), yaml, StandardCharsets.UTF_8);
        return RunningProgram.start(AgencyMain.class, dir, env);
    }

    private static String yaml(int port, String period) {
        return "server:\n  address: \"127.0.0.1:" + port + "\"\nloop:\n  amount: 50\n  period: \"" + period + "\"\n"
                + "log:\n  level: \"INFO\"\nbatch:\n  maxAmount: 53\n";
    }

    /** The log contract, and no failure: nothing here goes wrong. */
    private static void assertContractLines(RunningProgram agency) {
        agency.assertFollowsTheLogContract();
        agency.output().forEach(line -> assertFalse(line.contains("result: fail"), "no failure here: " + line));
    }

    @Test
    void sigtermWhileWaitingForTheDrawClosesTheSocketAndTheFileAndExitsZero() throws Exception {
        Files.writeString(dir.resolve("agency.csv"), "Santiago Lionel,Lorca,30904465,1999-03-17,7574\r\nAna,Paz,1,1990-01-01,1\r\n");
        try (RunningCentral central = RunningCentral.start(dir.resolve("store"), 2)) { // agency 2 never comes: the draw waits
            RunningProgram agency = agency(yaml(central.address().getPort(), "5s"), Map.of("CLI_ID", "1"));
            agency.await(l -> l.contains("action: apuestas_enviadas | result: success | client_id: 1 | enviadas: 2 | lotes: 1"));
            agency.sigterm();
            assertEquals(0, agency.exit());
            List<String> actions = agency.actions();
            assertTrue(actions.contains("action: config | result: success | client_id: 1 | server_address: 127.0.0.1:"
                    + central.address().getPort() + " | loop_amount: 50 | loop_period: 5s | log_level: INFO"), String.join("\n", actions));
            int shutdown = actions.indexOf("action: shutdown | result: in_progress | client_id: 1 | signal: SIGTERM");
            assertEquals(List.of(
                    "action: shutdown | result: in_progress | client_id: 1 | signal: SIGTERM",
                    "action: close_socket | result: success | client_id: 1",
                    "action: close_data_file | result: success | client_id: 1",
                    "action: shutdown | result: success | client_id: 1"), actions.subList(shutdown, actions.size()));
            assertContractLines(agency);
        }
    }

    @Test
    void sigtermDuringTheEchoLoopsSleepExitsZero() throws Exception {
        try (RunningCentral central = RunningCentral.start(dir.resolve("store"), 1)) {
            RunningProgram agency = agency(yaml(central.address().getPort(), "1m"), Map.of("CLI_ID", "4", "CLI_MODE", "echo"));
            agency.await(l -> l.contains("action: receive_message | result: success | client_id: 4 | msg: [CLIENT 4] Message N°1"));
            agency.sigterm();
            assertEquals(0, agency.exit());
            assertEquals("action: shutdown | result: success | client_id: 4", agency.actions().get(agency.actions().size() - 1));
            assertContractLines(agency);
        }
    }

    @Test
    void aFullRunEndsWithItsWinnersAndExitCodeZero() throws Exception {
        Files.writeString(dir.resolve("agency.csv"), "Santiago Lionel,Lorca,30904465,1999-03-17,7574\r\nAna,Paz,1,1990-01-01,1\r\n");
        try (RunningCentral central = RunningCentral.start(dir.resolve("store"), 1)) {
            RunningProgram agency = agency(yaml(central.address().getPort(), "5s"), Map.of("CLI_ID", "1"));
            assertEquals(0, agency.exit());
            assertTrue(agency.actions().contains("action: consulta_ganadores | result: success | cant_ganadores: 1"));
            assertContractLines(agency);
        }
    }

    @Test
    void aMalformedLineIsReportedWithItsNumberAndExitCodeOne() throws Exception {
        Files.writeString(dir.resolve("agency.csv"), "Ana,Paz,1,1990-01-01,1\r\nAna,Paz,1,1990-13-01,1\r\n");
        try (RunningCentral central = RunningCentral.start(dir.resolve("store"), 1)) {
            RunningProgram agency = agency(yaml(central.address().getPort(), "5s"), Map.of("CLI_ID", "1"));
            assertEquals(1, agency.exit());
            assertTrue(agency.actions().contains("action: leer_apuestas | result: fail | client_id: 1 | file: agency.csv | line: 2 "
                    + "| error: birthdate 1990-13-01 is not a real date"), String.join("\n", agency.output()));
            assertEquals(0, Files.readAllLines(central.betsCsv()).size(), "the bad line's batch was never sent");
        }
    }

    @Test
    void aMissingIdIsOneClearErrorLineAndExitCodeOne() throws Exception {
        RunningProgram agency = agency(yaml(1, "5s"), Map.of());
        assertEquals(1, agency.exit());
        assertEquals(1, agency.output().size(), String.join("\n", agency.output()));
        assertTrue(agency.output().get(0).endsWith("ERROR    action: config | result: fail | error: id is not set: give it in config.yaml or as CLI_ID"));
    }
}
