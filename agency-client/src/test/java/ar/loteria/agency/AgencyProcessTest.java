package ar.loteria.agency;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ar.loteria.central.RunningCentral;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agency as the course runs it: a real process, its stdout, its exit code. */
class AgencyProcessTest {
    private static final Pattern LINE = Pattern.compile("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d (DEBUG|INFO|WARN|ERROR) +(.*)");
    private static final Pattern ACTION = Pattern.compile("action: [a-z_]+ \\| result: (success|fail|in_progress)( \\| [a-z_]+: [^|]*)*");

    @TempDir
    Path dir;

    /** A process whose stdout is gathered line by line as it comes. */
    private static final class Running {
        final Process process;
        final List<String> lines = new ArrayList<>();
        private final Thread reader;

        Running(Process process) {
            this.process = process;
            reader = new Thread(() -> {
                try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line; (line = out.readLine()) != null; ) {
                        synchronized (lines) {
                            lines.add(line);
                            lines.notifyAll();
                        }
                    }
                } catch (IOException ignored) {
                    // the process is gone
                }
            });
            reader.setDaemon(true);
            reader.start();
        }

        void await(Predicate<String> wanted) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            synchronized (lines) {
                while (lines.stream().noneMatch(wanted)) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0 || !process.isAlive()) {
                        throw new AssertionError("no such line; got:\n" + String.join("\n", lines));
                    }
                    TimeUnit.NANOSECONDS.timedWait(lines, Math.min(left, TimeUnit.MILLISECONDS.toNanos(100)));
                }
            }
        }

        int exit() throws InterruptedException {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("still running after 10 s:\n" + String.join("\n", output()));
            }
            reader.join(5_000);
            return process.exitValue();
        }

        List<String> output() {
            synchronized (lines) {
                return new ArrayList<>(lines);
            }
        }

        List<String> actions() {
            return output().stream().map(LINE::matcher).filter(m -> m.matches() && m.group(2).contains("action:"))
                    .map(m -> m.group(2)).toList();
        }
    }

    private Running agency(String yaml, Map<String, String> env) throws IOException {
        Files.writeString(dir.resolve("config.yaml"), yaml, StandardCharsets.UTF_8);
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), AgencyMain.class.getName())
                .directory(dir.toFile()).redirectErrorStream(true);
        builder.environment().putAll(env);
        return new Running(builder.start());
    }

    private static String yaml(int port, String period) {
        return "server:\n  address: \"127.0.0.1:" + port + "\"\nloop:\n  amount: 50\n  period: \"" + period + "\"\n"
                + "log:\n  level: \"INFO\"\nbatch:\n  maxAmount: 53\n";
    }

    private static void assertContractLines(Running agency) {
        for (String line : agency.output()) {
            assertTrue(LINE.matcher(line).matches(), "log format: " + line);
            if (line.contains("action:")) {
                assertTrue(ACTION.matcher(LINE.matcher(line).replaceAll("$2")).matches(), "action line: " + line);
            }
            assertFalse(line.contains("action: exit"), "compose prints the exit, the program never does");
            assertFalse(line.contains("result: fail"), "no failure here: " + line);
        }
    }

    @Test
    void sigtermWhileWaitingForTheDrawClosesTheSocketAndTheFileAndExitsZero() throws Exception {
        Files.writeString(dir.resolve("agency.csv"), "Santiago Lionel,Lorca,30904465,1999-03-17,7574\r\nAna,Paz,1,1990-01-01,1\r\n");
        try (RunningCentral central = RunningCentral.start(dir.resolve("store"), 2)) { // agency 2 never comes: the draw waits
            Running agency = agency(yaml(central.address().getPort(), "5s"), Map.of("CLI_ID", "1"));
            agency.await(l -> l.contains("action: apuestas_enviadas | result: success | client_id: 1 | enviadas: 2 | lotes: 1"));
            agency.process.toHandle().destroy(); // SIGTERM; Process.destroy() would also close our end of its stdout
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
            Running agency = agency(yaml(central.address().getPort(), "1m"), Map.of("CLI_ID", "4", "CLI_MODE", "echo"));
            agency.await(l -> l.contains("action: receive_message | result: success | client_id: 4 | msg: [CLIENT 4] Message N°1"));
            agency.process.toHandle().destroy();
            assertEquals(0, agency.exit());
            assertEquals("action: shutdown | result: success | client_id: 4", agency.actions().get(agency.actions().size() - 1));
            assertContractLines(agency);
        }
    }

    @Test
    void aFullRunEndsWithItsWinnersAndExitCodeZero() throws Exception {
        Files.writeString(dir.resolve("agency.csv"), "Santiago Lionel,Lorca,30904465,1999-03-17,7574\r\nAna,Paz,1,1990-01-01,1\r\n");
        try (RunningCentral central = RunningCentral.start(dir.resolve("store"), 1)) {
            Running agency = agency(yaml(central.address().getPort(), "5s"), Map.of("CLI_ID", "1"));
            assertEquals(0, agency.exit());
            assertTrue(agency.actions().contains("action: consulta_ganadores | result: success | cant_ganadores: 1"));
            assertContractLines(agency);
        }
    }

    @Test
    void aMalformedLineIsReportedWithItsNumberAndExitCodeOne() throws Exception {
        Files.writeString(dir.resolve("agency.csv"), "Ana,Paz,1,1990-01-01,1\r\nAna,Paz,1,1990-13-01,1\r\n");
        try (RunningCentral central = RunningCentral.start(dir.resolve("store"), 1)) {
            Running agency = agency(yaml(central.address().getPort(), "5s"), Map.of("CLI_ID", "1"));
            assertEquals(1, agency.exit());
            assertTrue(agency.actions().contains("action: leer_apuestas | result: fail | client_id: 1 | file: agency.csv | line: 2 "
                    + "| error: birthdate 1990-13-01 is not a real date"), String.join("\n", agency.output()));
            assertEquals(0, Files.readAllLines(central.betsCsv()).size(), "the bad line's batch was never sent");
        }
    }

    @Test
    void aMissingIdIsOneClearErrorLineAndExitCodeOne() throws Exception {
        Running agency = agency(yaml(1, "5s"), Map.of());
        assertEquals(1, agency.exit());
        assertEquals(1, agency.output().size(), String.join("\n", agency.output()));
        assertTrue(agency.output().get(0).endsWith("ERROR    action: config | result: fail | error: id is not set: give it in config.yaml or as CLI_ID"));
    }
}
