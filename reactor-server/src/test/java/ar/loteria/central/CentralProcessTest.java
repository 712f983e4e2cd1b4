package ar.loteria.central;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ar.loteria.wire.AgencyMessage.AllSent;
import ar.loteria.wire.AgencyMessage.BetBatch;
import ar.loteria.wire.AgencyMessage.Hello;
import ar.loteria.wire.CentralMessage.BatchAccepted;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The central as the course runs it: a real process, its stdout, its exit code. */
class CentralProcessTest {
    /** The course's log format, and the exact shape of any line that holds "action:". */
    static final Pattern LINE = Pattern.compile("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d (DEBUG|INFO|WARN|ERROR) +(.*)");
    static final Pattern ACTION = Pattern.compile("action: [a-z_]+ \\| result: (success|fail|in_progress)( \\| [a-z_]+: [^|]*)*");

    @TempDir
    Path dir;

    /** A process whose stdout is gathered line by line as it comes. */
    static final class Running {
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

        String await(Predicate<String> wanted) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            synchronized (lines) {
                while (true) {
                    for (String line : lines) {
                        if (wanted.test(line)) {
                            return line;
                        }
                    }
                    long left = deadline - System.nanoTime();
                    if (left <= 0 || !process.isAlive() && lines.stream().noneMatch(wanted)) {
                        throw new AssertionError("no such line; got:\n" + String.join("\n", lines));
                    }
                    TimeUnit.NANOSECONDS.timedWait(lines, Math.min(left, TimeUnit.MILLISECONDS.toNanos(100)));
                }
            }
        }

        /** Waits for the exit and for the last line of output; returns the exit code. */
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
    }

    private Running central(Map<String, String> env) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), CentralMain.class.getName())
                .directory(dir.toFile()).redirectErrorStream(true);
        builder.environment().putAll(env);
        return new Running(builder.start());
    }

    private void writeIni(String... lines) throws IOException {
        Files.write(dir.resolve("config.ini"), List.of(lines), StandardCharsets.UTF_8);
    }

    @Test
    void sigtermClosesEveryResourceAndExitsWithZero() throws Exception {
        writeIni("[DEFAULT]", "SERVER_PORT = 0", "SERVER_IP = 127.0.0.1", "SERVER_LISTEN_BACKLOG = 5", "LOGGING_LEVEL = DEBUG");
        Running central = central(Map.of("AGENCIES", "1"));
        String listening = central.await(l -> l.contains("action: accept_connections | result: in_progress"));
        Matcher port = Pattern.compile("address: [0-9.]+:(\\d+)").matcher(listening);
        assertTrue(port.find());
        try (Peer agency = new Peer(new InetSocketAddress("127.0.0.1", Integer.parseInt(port.group(1))))) {
            agency.send(new Hello(1), new BetBatch(1, TestBets.of(1, 3, 2)));
            assertEquals(new BatchAccepted(1, 3), agency.receive());
            agency.send(new AllSent(1));
            assertEquals(List.of("1000002"), agency.winners());
            central.process.toHandle().destroy(); // SIGTERM; Process.destroy() would also close our end of its stdout
            assertEquals(0, central.exit());
        }
        List<String> actions = central.output().stream().map(LINE::matcher).filter(Matcher::matches)
                .map(m -> m.group(2)).filter(m -> m.contains("action:")).toList();
        assertTrue(actions.contains("action: shutdown | result: in_progress | signal: SIGTERM"), String.join("\n", central.output()));
        List<String> shutdown = actions.subList(actions.indexOf("action: shutdown | result: in_progress | signal: SIGTERM"), actions.size());
        assertEquals(List.of(
                "action: shutdown | result: in_progress | signal: SIGTERM",
                "action: close_listening_socket | result: success",
                "action: close_connection | result: success | ip: 127.0.0.1 | agency: 1 | reason: shutdown",
                "action: close_workers | result: success",
                "action: close_store | result: success",
                "action: close_selector | result: success",
                "action: shutdown | result: success"), shutdown);
        assertTrue(actions.contains("action: config | result: success | port: 0 | listen_backlog: 5 | logging_level: DEBUG"));
        assertTrue(actions.contains("action: apuesta_recibida | result: success | cantidad: 3 | agencia: 1 | lote: 1"));
        assertTrue(actions.contains("action: apuesta_almacenada | result: success | dni: 1000002 | numero: 7574"));
        assertTrue(actions.indexOf("action: sorteo | result: success") > actions.indexOf("action: apuesta_recibida | result: success | cantidad: 3 | agencia: 1 | lote: 1"));
        assertTrue(actions.stream().noneMatch(a -> a.contains("consulta_ganadores") || a.contains("apuesta_enviada")),
                "the agencies' action names are theirs alone, so that counting them counts agencies");
        for (String line : central.output()) {
            assertTrue(LINE.matcher(line).matches(), "log format: " + line);
            if (line.contains("action:")) {
                assertTrue(ACTION.matcher(LINE.matcher(line).replaceAll("$2")).matches(), "action line: " + line);
            }
            assertFalse(line.contains("action: exit"), "compose prints the exit, the program never does");
        }
        assertEquals(3, Files.readAllLines(dir.resolve("bets.csv")).size(), "what was acknowledged is on disk");
    }

    @Test
    void aMissingSettingIsOneClearErrorLineAndExitCodeOne() throws Exception {
        writeIni("[DEFAULT]", "SERVER_PORT = 0", "SERVER_IP = 127.0.0.1", "LOGGING_LEVEL = INFO");
        Running central = central(Map.of());
        assertEquals(1, central.exit());
        List<String> out = central.output();
        assertEquals(1, out.size(), String.join("\n", out));
        assertTrue(out.get(0).endsWith("ERROR    action: config | result: fail | error: SERVER_LISTEN_BACKLOG is not set: "
                + "give it in config.ini [DEFAULT] or as an environment variable"), out.get(0));
    }

    @Test
    void aPortAlreadyTakenIsOneClearErrorLineAndExitCodeOne() throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            writeIni("[DEFAULT]", "SERVER_PORT = " + taken.getLocalPort(), "SERVER_IP = 127.0.0.1", "SERVER_LISTEN_BACKLOG = 5", "LOGGING_LEVEL = INFO");
            Running central = central(Map.of());
            assertEquals(1, central.exit());
            assertTrue(central.output().stream().anyMatch(l -> l.contains("action: start | result: fail")), String.join("\n", central.output()));
        }
    }
}
