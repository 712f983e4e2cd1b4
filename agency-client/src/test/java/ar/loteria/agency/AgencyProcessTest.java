package ar.loteria.agency;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ar.loteria.central.RunningCentral;
import ar.loteria.central.RunningProgram;
import ar.loteria.central.TestKeys;
import ar.loteria.wire.AgencyMessage.AllSent;
import ar.loteria.wire.AgencyMessage.BetBatch;
import ar.loteria.wire.AgencyMessage.Hello;
import ar.loteria.wire.AgencyMessage.Proof;
import ar.loteria.wire.AgencyMessage.WinnersQuery;
import ar.loteria.wire.CentralMessage.BatchAccepted;
import ar.loteria.wire.CentralMessage.Challenge;
import ar.loteria.wire.CentralMessage.Welcome;
import ar.loteria.wire.CentralMessage.Winners;
import ar.loteria.wire.Decoded;
import ar.loteria.wire.FrameDecoder;
import ar.loteria.wire.FrameEncoder;
import ar.loteria.wire.Message;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
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

    /** The agency as a process; an agency given an id gets its test key too. */
    private RunningProgram agency(String yaml, Map<String, String> env) throws IOException {
        Files.writeString(dir.resolve("config.yaml"), yaml, StandardCharsets.UTF_8);
        Map<String, String> withKey = new java.util.HashMap<>(env);
        if (env.containsKey("CLI_ID")) {
            withKey.putIfAbsent("CLI_KEY", TestKeys.of(Integer.parseInt(env.get("CLI_ID"))));
        }
        return RunningProgram.start(AgencyMain.class, dir, withKey);
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

    /**
     * The lines come out of tinylog exactly as the course's tests read them (the level padded to
     * eight and a space), in UTF-8 where the locale is POSIX, as in a container ("N°" would print
     * as "N?"), and nothing below the configured level (connecting is a DEBUG line).
     */
    @Test
    void linesAreInTheCoursesFormatInUtf8AtTheConfiguredLevel() throws Exception {
        try (RunningCentral central = RunningCentral.start(dir.resolve("store"), 1)) {
            RunningProgram agency = agency(yaml(central.address().getPort(), "1m"),
                    Map.of("CLI_ID", "4", "CLI_MODE", "echo", "LC_ALL", "POSIX", "LANG", "C"));
            String stamp = "\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d ";
            agency.await(l -> l.matches(stamp + "INFO     action: receive_message \\| result: success \\| client_id: 4 \\| msg: \\[CLIENT 4\\] Message N°1"));
            agency.sigterm();
            assertEquals(0, agency.exit());
            assertTrue(agency.output().stream().allMatch(l -> l.matches(stamp + "(INFO |WARN |ERROR) {4}\\S.*")), String.join("\n", agency.output()));
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
    void aDataFileStillMissingWhenTheAgencyStartsIsOneClearErrorAndExitCodeOne() throws Exception {
        RunningProgram agency = agency(yaml(1, "5s"), Map.of("CLI_ID", "3", "CLI_DATA_FILE", dir.resolve("agency-3.csv").toString()));
        assertEquals(1, agency.exit());
        List<String> failures = agency.output().stream().filter(l -> l.contains("result: fail")).toList();
        assertEquals(List.of("action: leer_apuestas | result: fail | client_id: 3 | file: " + dir.resolve("agency-3.csv") + " | error: no such file"),
                failures.stream().map(l -> l.substring(l.indexOf("action:"))).toList(), String.join("\n", agency.output()));
        agency.assertFollowsTheLogContract();
    }

    /**
     * The course's tests merge the logs by time: the agency's line about a reply must be out
     * before anything the agency does next can be seen. A scripted central checks, each time the
     * agency sends its next request, that the line about the previous reply is already readable.
     */
    @Test
    void eachReplyIsLoggedBeforeTheAgencySendsAnythingElse() throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            listener.setSoTimeout(20_000);
            RunningProgram agency = RunningProgram.startUnread(AgencyMain.class, dir, Map.ofEntries(Map.entry("CLI_ID", "2"),
                    Map.entry("CLI_SERVER_ADDRESS", "127.0.0.1:" + listener.getLocalPort()),
                    Map.entry("CLI_LOG_LEVEL", "INFO"),
                    Map.entry("CLI_LOOP_AMOUNT", "1"),
                    Map.entry("CLI_LOOP_PERIOD", "1s"),
                    Map.entry("CLI_BATCH_MAXAMOUNT", "10"),
                    Map.entry("NOMBRE", "Ana"),
                    Map.entry("APELLIDO", "Paz"),
                    Map.entry("DOCUMENTO", "30904465"),
                    Map.entry("NACIMIENTO", "1999-03-17"),
                    Map.entry("NUMERO", "7574")));
            try (Socket socket = accept(listener, agency); ScriptedCentral central = new ScriptedCentral(socket)) {
                assertInstanceOf(Hello.class, central.receive());
                central.send(new Challenge(new byte[Challenge.BYTES]));
                assertInstanceOf(Proof.class, central.receive());
                central.send(new Welcome(0, false));
                assertInstanceOf(BetBatch.class, central.receive());
                central.send(new BatchAccepted(0, 1, 1));
                assertInstanceOf(AllSent.class, central.receive());
                assertTrue(agency.readableNow().stream().anyMatch(l -> l.endsWith("action: apuesta_enviada | result: success | dni: 30904465 | numero: 7574")),
                        "apuesta_enviada was not out before the next request");
                assertInstanceOf(WinnersQuery.class, central.receive());
                central.send(new Winners(List.of("30904465"), true));
                assertTrue(central.closedByAgency());
                assertTrue(agency.readableNow().stream().anyMatch(l -> l.endsWith("action: consulta_ganadores | result: success | cant_ganadores: 1")),
                        "consulta_ganadores was not out before the agency closed its connection");
            }
            assertEquals(0, agency.exit());
            assertContractLines(agency);
        }
    }

    private static Socket accept(ServerSocket listener, RunningProgram agency) throws IOException {
        try {
            return listener.accept();
        } catch (java.net.SocketTimeoutException e) {
            throw new AssertionError("the agency never connected: " + agency.readableNow(), e);
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
