package ar.loteria.central;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ar.loteria.wire.AgencyMessage.AllSent;
import ar.loteria.wire.AgencyMessage.BetBatch;
import ar.loteria.wire.AgencyMessage.WinnersQuery;
import ar.loteria.wire.Bet;
import ar.loteria.wire.CentralMessage.BatchAccepted;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The central as the course runs it: a real process, its stdout, its exit code. */
class CentralProcessTest {
    @TempDir
    Path dir;

    private RunningProgram central(Map<String, String> env) throws IOException {
        return RunningProgram.start(CentralMain.class, dir, env);
    }

    private void writeIni(String... lines) throws IOException {
        Files.write(dir.resolve("config.ini"), List.of(lines), StandardCharsets.UTF_8);
    }

    @Test
    void sigtermClosesEveryResourceAndExitsWithZero() throws Exception {
        writeIni("[DEFAULT]", "SERVER_PORT = 0", "SERVER_IP = 127.0.0.1", "SERVER_LISTEN_BACKLOG = 5", "LOGGING_LEVEL = DEBUG");
        RunningProgram central = central(Map.of("AGENCIES", "1", "AGENCY_KEYS", RunningCentral.keysFor(1)));
        try (Peer agency = new Peer(central.lotteryAddress())) {
            agency.hello(1);
            agency.send(new BetBatch(0, TestBets.of(1, 3, 2)));
            assertEquals(new BatchAccepted(0, 3, 3), agency.receive());
            agency.send(new AllSent(3));
            assertEquals(List.of("1000002"), agency.winners());
            central.sigterm();
            assertEquals(0, central.exit());
        }
        List<String> actions = central.actions();
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
        assertTrue(actions.contains("action: apuesta_recibida | result: success | cantidad: 3 | agencia: 1 | desde: 0 | nuevas: 3"));
        assertTrue(actions.contains("action: apuesta_almacenada | result: success | dni: 1000002 | numero: 7574"));
        assertTrue(actions.indexOf("action: sorteo | result: success") > actions.indexOf("action: apuesta_recibida | result: success | cantidad: 3 | agencia: 1 | desde: 0 | nuevas: 3"));
        assertTrue(actions.stream().noneMatch(a -> a.contains("consulta_ganadores") || a.contains("apuesta_enviada")),
                "the agencies' action names are theirs alone, so that counting them counts agencies");
        central.assertFollowsTheLogContract();
        assertEquals(3, Files.readAllLines(dir.resolve("bets.csv")).size(), "what was acknowledged is on disk");
    }

    /**
     * The course's tests merge the containers' logs by time and expect every line to come before
     * what it reports is seen elsewhere: so when a reply reaches an agency, the line reporting it
     * must already be readable on the central's stdout.
     */
    @Test
    void everyReplyIsReportedOnStdoutBeforeTheAgencyCanSeeIt() throws Exception {
        writeIni("[DEFAULT]", "SERVER_PORT = 0", "SERVER_IP = 127.0.0.1", "SERVER_LISTEN_BACKLOG = 5", "LOGGING_LEVEL = INFO");
        RunningProgram central = RunningProgram.startUnread(CentralMain.class, dir, Map.of("AGENCIES", "2", "AGENCY_KEYS", RunningCentral.keysFor(2)));
        InetSocketAddress address = central.lotteryAddress();
        try (Peer one = new Peer(address); Peer two = new Peer(address); Peer echo = new Peer(address)) {
            one.hello(1);
            two.hello(2);
            for (int batch = 0; batch < 40; batch++) {
                for (int agency = 1; agency <= 2; agency++) {
                    Peer peer = agency == 1 ? one : two;
                    int first = batch * 5;
                    peer.send(new BetBatch(first, TestBets.of(agency, first + 5, 7).subList(first, first + 5)));
                    assertEquals(new BatchAccepted(first, 5, first + 5), peer.receive());
                    String line = "action: apuesta_recibida | result: success | cantidad: 5 | agencia: " + agency + " | desde: " + first + " | nuevas: 5";
                    assertTrue(central.readableNow().stream().anyMatch(l -> l.endsWith(line)), "not yet on stdout: " + line);
                }
                echo.sendBytes(("line " + batch + "\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                echo.readLineForTest();
                String echoed = "action: receive_message | result: success | ip: 127.0.0.1 | msg: line " + batch;
                assertTrue(central.readableNow().stream().anyMatch(l -> l.endsWith(echoed)), "not yet on stdout: " + echoed);
            }
            one.send(new AllSent(200), new WinnersQuery());
            two.send(new AllSent(200), new WinnersQuery());
            assertEquals(TestBets.winnersOf(TestBets.of(1, 200, 7)), one.collectWinners());
            List<String> out = central.readableNow();
            assertTrue(out.stream().anyMatch(l -> l.endsWith("action: sorteo | result: success")), "sorteo not yet on stdout");
            assertTrue(out.stream().anyMatch(l -> l.endsWith("action: winners_query | result: success | agency: 1 | winners: 28")), String.join("\n", out));
            assertEquals(TestBets.winnersOf(TestBets.of(2, 200, 7)), two.collectWinners());
            assertTrue(central.readableNow().stream().anyMatch(l -> l.endsWith("action: winners_query | result: success | agency: 2 | winners: 28")));
        }
        central.sigterm();
        assertEquals(0, central.exit());
        central.assertFollowsTheLogContract();
    }

    /** Echo peers decide how fast the central logs; a flood of lines must not become a flood of log lines. */
    @Test
    void aFloodOfEchoLinesIsLoggedAtABoundedRate() throws Exception {
        writeIni("[DEFAULT]", "SERVER_PORT = 0", "SERVER_IP = 127.0.0.1", "SERVER_LISTEN_BACKLOG = 5", "LOGGING_LEVEL = INFO");
        RunningProgram central = central(Map.of("AGENCIES", "1"));
        InetSocketAddress address = central.lotteryAddress();
        byte[] lines = "ping\n".repeat(20_000).getBytes(StandardCharsets.US_ASCII);
        long started = System.nanoTime();
        ExecutorService peers = Executors.newFixedThreadPool(4);
        List<java.util.concurrent.Future<byte[]>> echoes = new java.util.ArrayList<>();
        for (int i = 0; i < 4; i++) {
            echoes.add(peers.submit(() -> {
                try (Peer echo = new Peer(address)) {
                    Thread writer = new Thread(() -> {
                        try {
                            echo.sendBytes(lines);
                            echo.shutdownOutput();
                        } catch (IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    });
                    writer.start();
                    byte[] back = echo.readToEnd();
                    writer.join();
                    return back;
                }
            }));
        }
        for (var echo : echoes) {
            assertEquals(lines.length, echo.get(30, TimeUnit.SECONDS).length, "every line echoed");
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        peers.shutdown();
        central.sigterm();
        assertEquals(0, central.exit());
        long logged = central.actions().stream().filter(a -> a.startsWith("action: receive_message")).count();
        assertTrue(logged <= 100 + 50 * Math.ceil(seconds), logged + " lines logged for 80000 echoed in " + seconds + " s");
        assertTrue(logged >= 100, "the first lines are all logged: " + logged);
        assertTrue(central.output().stream().anyMatch(l -> l.matches(".*WARN +\\d+ receive_message lines were not logged .*")), "and the rest are counted");
        central.assertFollowsTheLogContract();
    }

    @Test
    void aMissingSettingIsOneClearErrorLineAndExitCodeOne() throws Exception {
        writeIni("[DEFAULT]", "SERVER_PORT = 0", "SERVER_IP = 127.0.0.1", "LOGGING_LEVEL = INFO");
        RunningProgram central = central(Map.of());
        assertEquals(1, central.exit());
        List<String> out = central.output();
        assertEquals(1, out.size(), String.join("\n", out));
        assertTrue(out.get(0).endsWith("ERROR    action: config | result: fail | error: SERVER_LISTEN_BACKLOG is not set: "
                + "give it in config.ini [DEFAULT] or as an environment variable"), out.get(0));
    }

    /** Keys for some agencies only would leave the others unauthenticated, or locked out: the central refuses to start. */
    @Test
    void agencyKeysForOnlySomeAgenciesIsOneClearErrorLineAndExitCodeOne() throws Exception {
        writeIni("[DEFAULT]", "SERVER_PORT = 0", "SERVER_IP = 127.0.0.1", "SERVER_LISTEN_BACKLOG = 5", "LOGGING_LEVEL = INFO");
        RunningProgram central = central(Map.of("AGENCIES", "3", "AGENCY_KEYS", "2:" + TestKeys.of(2)));
        assertEquals(1, central.exit());
        List<String> out = central.output();
        assertEquals(1, out.size(), String.join("\n", out));
        assertTrue(out.get(0).endsWith("ERROR    action: config | result: fail | error: AGENCY_KEYS has no key for agencies 1, 3: "
                + "it must give a key to every agency from 1 to 3 (AGENCIES), or be unset"), out.get(0));
        assertTrue(Files.notExists(dir.resolve("bets.csv")), "nothing was started");
    }

    @Test
    void aPortAlreadyTakenIsOneClearErrorLineAndExitCodeOne() throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            writeIni("[DEFAULT]", "SERVER_PORT = " + taken.getLocalPort(), "SERVER_IP = 127.0.0.1", "SERVER_LISTEN_BACKLOG = 5", "LOGGING_LEVEL = INFO");
            RunningProgram central = central(Map.of());
            assertEquals(1, central.exit());
            assertTrue(central.output().stream().anyMatch(l -> l.contains("action: start | result: fail")), String.join("\n", central.output()));
        }
    }

    @Test
    void sigtermUnderLoadKeepsEveryAcknowledgedBatchAndLeavesNoTornLine() throws Exception {
        writeIni("[DEFAULT]", "SERVER_PORT = 0", "SERVER_IP = 127.0.0.1", "SERVER_LISTEN_BACKLOG = 64", "LOGGING_LEVEL = INFO");
        RunningProgram central = central(Map.of("AGENCIES", "20", "AGENCY_KEYS", RunningCentral.keysFor(20)));
        InetSocketAddress address = central.lotteryAddress();
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        CountDownLatch underWay = new CountDownLatch(20 * 5);
        ExecutorService agencies = Executors.newFixedThreadPool(20);
        for (int a = 1; a <= 20; a++) {
            int agency = a;
            agencies.submit(() -> {
                try (Peer peer = new Peer(address)) {
                    peer.hello(agency);
                    List<Bet> bets = TestBets.of(agency, 20_000, 9); // more than it can send before the SIGTERM
                    for (int first = 0; ; first += 50) {
                        List<Bet> batch = bets.subList(first, first + 50);
                        peer.send(new BetBatch(first, batch));
                        if (!(peer.receive() instanceof BatchAccepted)) {
                            return null;
                        }
                        batch.forEach(b -> acknowledged.add(b.document()));
                        underWay.countDown();
                    }
                } catch (IOException | RuntimeException e) {
                    return null; // the central stopped under it
                }
            });
        }
        assertTrue(underWay.await(30, TimeUnit.SECONDS));
        central.sigterm();
        assertEquals(0, central.exit());
        agencies.shutdown();
        assertTrue(agencies.awaitTermination(10, TimeUnit.SECONDS));

        byte[] csv = Files.readAllBytes(dir.resolve("bets.csv"));
        assertTrue(csv.length > 0 && csv[csv.length - 2] == '\r' && csv[csv.length - 1] == '\n', "bets.csv ends on a whole row");
        Set<String> stored = new HashSet<>();
        Files.readAllLines(dir.resolve("bets.csv")).forEach(row -> stored.add(row.split(",")[3]));
        assertTrue(stored.containsAll(acknowledged), "every acknowledged bet is on disk");
        try (RunningCentral again = RunningCentral.start(dir, 20)) {
            assertEquals(csv.length, Files.size(again.betsCsv()), "recovery had nothing uncommitted to cut");
        }
    }

    /**
     * The lines come out of tinylog exactly as the course's tests read them: the stamp, the level
     * padded to eight and a space, the message; in UTF-8 even where the locale is POSIX, as in a
     * container; nothing below the configured level.
     */
    @Test
    void linesAreInTheCoursesFormatInUtf8AtTheConfiguredLevel() throws Exception {
        writeIni("[DEFAULT]", "SERVER_PORT = 0", "SERVER_IP = 127.0.0.1", "SERVER_LISTEN_BACKLOG = 5", "LOGGING_LEVEL = INFO");
        RunningProgram central = central(Map.of("AGENCIES", "1", "LC_ALL", "POSIX", "LANG", "C"));
        try (Peer echo = new Peer(central.lotteryAddress())) {
            echo.sendBytes("Fornerón Álvarez\n".getBytes(StandardCharsets.UTF_8));
            assertEquals("Fornerón Álvarez", new String(echo.readLineForTest(), StandardCharsets.UTF_8));
            central.await(l -> l.contains("msg: Fornerón Álvarez"));
        }
        central.sigterm();
        assertEquals(0, central.exit());
        String stamp = "\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d ";
        List<String> lines = central.output();
        assertTrue(lines.stream().anyMatch(l -> l.matches(stamp + "WARN     AGENCY_KEYS is not set: .*")), String.join("\n", lines));
        assertTrue(lines.stream().anyMatch(l -> l.matches(stamp + "INFO     action: accept_connections \\| result: in_progress \\| address: .*")));
        assertTrue(lines.stream().anyMatch(l -> l.matches(stamp + "INFO     action: receive_message \\| result: success \\| ip: 127.0.0.1 \\| msg: Fornerón Álvarez")));
        assertTrue(lines.stream().allMatch(l -> l.matches(stamp + "(INFO |WARN |ERROR) {4}\\S.*")), "no DEBUG line at INFO, every line in the format");
        assertTrue(lines.stream().noneMatch(l -> l.contains("action: config")), "the config line is DEBUG");
    }

}
