package ar.loteria.agency;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyBoolean;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.Mockito.timeout;
import static org.mockito.Mockito.mockingDetails;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.spy;
import static org.mockito.Mockito.verify;

import ar.loteria.central.Peer;
import ar.loteria.central.RunningCentral;
import ar.loteria.central.RunningProgram;
import ar.loteria.central.ServerConfig;
import ar.loteria.central.TestKeys;
import ar.loteria.central.reactor.Limits;
import ar.loteria.wire.AgencyMessage.AllSent;
import ar.loteria.wire.CentralMessage.Challenge;
import ar.loteria.wire.CentralMessage.Welcome;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mockito.invocation.Invocation;

/**
 * An agency that is refused, cut off or kept out keeps trying, with growing waits, as long as
 * it makes progress, and says so in a few lines; it gives up only once connect.deadline passed
 * with none, in one line.
 */
class AgencyPersistsTest {
    @TempDir
    Path dir;

    private static AgencyConfig config(String address, int maxAmount, int window, Path data, Duration deadline, Duration backoff) {
        return new AgencyConfig(1, address, 1, Duration.ofMillis(10), "INFO", maxAmount, window, AgencyConfig.Mode.AGENCY,
                Optional.of(TestKeys.of(1)), data, Optional.empty(), deadline, backoff, Duration.ofSeconds(10), Duration.ofSeconds(20));
    }

    /** {@code count} bets of agency 1, every tenth on 7574. */
    private Path dataFile(int count) throws IOException {
        StringBuilder csv = new StringBuilder();
        for (int i = 1; i <= count; i++) {
            csv.append("Nombre ").append(i).append(",Paz,").append(1_000_000 + i).append(",1990-01-02,").append(i % 10 == 0 ? 7574 : i).append("\r\n");
        }
        Path file = dir.resolve("agency-1.csv");
        Files.writeString(file, csv, StandardCharsets.UTF_8);
        return file;
    }

    private static CompletableFuture<Integer> runAsync(AgencyConfig config, AgencyLog log) {
        return CompletableFuture.supplyAsync(() -> {
            try (BetFile source = BetFile.open(config.dataFile(), Clock.systemDefaultZone())) {
                return new AgencyRun(config, log, new Stop(Thread.currentThread())).run(source);
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
    }

    private static void assertEachStoredOnce(RunningCentral central, int bets) throws IOException {
        List<String> documents = Files.readAllLines(central.betsCsv()).stream().map(l -> l.split(",")[3]).toList();
        assertEquals(bets, documents.size());
        assertEquals(bets, new HashSet<>(documents).size());
    }

    /** The retry lines the agency logged: the calls to connectRetrying and reconnectRetrying, each one line. */
    private static List<Invocation> retryLines(AgencyLog log) {
        return mockingDetails(log).getInvocations().stream()
                .filter(i -> i.getMethod().getName().equals("connectRetrying") || i.getMethod().getName().equals("reconnectRetrying")).toList();
    }

    private static int attempts(Invocation line) {
        return line.getArgument(line.getMethod().getName().equals("connectRetrying") ? 1 : 0);
    }

    /** A central that closes the first eight connections as soon as it accepts them, as one at its caps does. */
    @Test
    void anAgencyClosedEightTimesThenLetInFinishesRightAndLogsAFewLinesNotOnePerTry() throws Exception {
        int closed = 8;
        try (RunningCentral central = RunningCentral.start(dir.resolve("store"), 1);
             DroppingProxy front = new DroppingProxy(central.address(), 0, closed)) {
            AgencyLog log = spy(new AgencyLog(1));
            long started = System.nanoTime();
            int exit = runAsync(config("127.0.0.1:" + front.port(), 53, 16, dataFile(120), Duration.ofSeconds(30), Duration.ofMillis(10)), log)
                    .get(60, TimeUnit.SECONDS);
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            assertEquals(0, exit);
            verify(log).winners(12);
            assertEquals(closed + 1, front.connections());
            assertEachStoredOnce(central, 120);
            List<Invocation> lines = retryLines(log);
            assertTrue(lines.size() >= 1, "the first refusal is logged");
            assertTrue(lines.size() <= 1 + took.toSeconds() / Retries.LOG_INTERVAL.toSeconds(),
                    "at most one line every " + Retries.LOG_INTERVAL + " (" + lines.size() + " lines in " + took + ")");
            assertTrue(lines.size() < closed, "fewer lines than failed tries: " + lines.size());
            assertTrue(lines.stream().mapToInt(AgencyPersistsTest::attempts).sum() <= closed, "the counts add up to at most the tries");
            verify(log, never()).gaveUp(anyBoolean(), anyInt(), any(), anyString());
        }
    }

    /**
     * The flood that made every agency exit 1 with nothing stored: silent connections from the
     * agency's own address fill the central's per-address cap. The agency gets in: at once, as the
     * central makes room for it by displacing a silent connection (or, kept out, by trying until
     * the flood ends).
     */
    @Test
    void anAgencyKeptOutByAFloodAtThePerAddressCapGetsInWhenTheFloodEnds() throws Exception {
        int cap = 4;
        ServerConfig base = RunningCentral.config(dir.resolve("store"), 1);
        Limits roomy = base.limits();
        ServerConfig capped = base.withLimits(new Limits(roomy.maxConnections(), cap, roomy.idleTimeout(), roomy.requestTimeout(),
                roomy.writeTimeout()));
        try (RunningCentral central = RunningCentral.start(capped);
             DroppingProxy counter = new DroppingProxy(central.address(), 0, 0)) { // cuts nothing: counts the agency's connections, from the same address
            List<Peer> flood = new ArrayList<>();
            for (int i = 0; i < cap; i++) {
                flood.add(new Peer(central.address()));
            }
            AgencyLog log = spy(new AgencyLog(1));
            CompletableFuture<Integer> exit = runAsync(config("127.0.0.1:" + counter.port(), 53, 16, dataFile(300),
                    Duration.ofSeconds(30), Duration.ofMillis(10)), log);
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (counter.connections() < 3 && !exit.isDone()) { // closed twice and trying still, or let in
                assertTrue(System.nanoTime() < until, "the agency stopped trying: " + counter.connections() + " connections");
                Thread.sleep(5);
            }
            for (Peer p : flood) {
                p.close();
            }
            assertEquals(0, exit.get(60, TimeUnit.SECONDS));
            verify(log).winners(30);
            verify(log, never()).gaveUp(anyBoolean(), anyInt(), any(), anyString());
            assertEachStoredOnce(central, 300);
        }
    }

    /**
     * The deadline is for making progress: four connections in a row are cut mid-round, each
     * after a WELCOME and a stored batch, with waits between them that add up to more than the
     * deadline. The agency never gives up, and every bet is stored once.
     */
    @Test
    void connectionsCutMidRoundAgainAndAgainNeverExhaustTheDeadlineWhileEachMakesProgress() throws Exception {
        int cuts = 4;
        Duration deadline = Duration.ofMillis(300);
        Duration backoff = Duration.ofMillis(100); // every wait at least this: 4 of them are more than the deadline
        try (RunningCentral central = RunningCentral.start(dir.resolve("store"), 1);
             DroppingProxy proxy = new DroppingProxy(central.address(), 21 + 14 + 23 + 5, cuts)) { // CHALLENGE, WELCOME, one BATCH_ACCEPTED, 5 bytes of the next
            AgencyLog log = spy(new AgencyLog(1));
            long started = System.nanoTime();
            int exit = runAsync(config("127.0.0.1:" + proxy.port(), 10, 1, dataFile(100), deadline, backoff), log).get(60, TimeUnit.SECONDS);
            assertTrue(Duration.ofNanos(System.nanoTime() - started).compareTo(deadline) > 0, "the round outlasted the deadline");
            assertEquals(0, exit);
            assertEquals(cuts + 1, proxy.connections());
            verify(log, never()).gaveUp(anyBoolean(), anyInt(), any(), anyString());
            verify(log).winners(10);
            assertEachStoredOnce(central, 100);
        }
    }

    /**
     * A central that welcomes the agency and closes, every time, and never stores anything:
     * a WELCOME that says nothing new is no progress, so the agency gives up at the deadline
     * instead of trying forever (as against a central that fails on this agency's data).
     */
    @Test
    void aCentralThatWelcomesButNeverStoresAnythingIsGivenUpAtTheDeadline() throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            AtomicInteger welcomes = new AtomicInteger();
            Thread central = new Thread(() -> {
                try {
                    while (true) {
                        try (Socket socket = listener.accept(); ScriptedCentral script = new ScriptedCentral(socket)) {
                            script.receive();
                            script.send(new Challenge(new byte[Challenge.BYTES]));
                            script.receive();
                            script.send(new Welcome(0, false));
                            welcomes.incrementAndGet();
                        } catch (IOException | AssertionError e) {
                            if (listener.isClosed()) {
                                return;
                            }
                        }
                    }
                } catch (RuntimeException e) {
                    // the test is over
                }
            }, "scripted-central");
            central.setDaemon(true);
            central.start();
            AgencyLog log = spy(new AgencyLog(1));
            int exit = runAsync(config("127.0.0.1:" + listener.getLocalPort(), 10, 1, dataFile(20), Duration.ofMillis(500), Duration.ofMillis(10)), log)
                    .get(30, TimeUnit.SECONDS);
            assertEquals(1, exit);
            assertTrue(welcomes.get() > 1, "it tried again before giving up: " + welcomes.get());
            verify(log).gaveUp(anyBoolean(), anyInt(), any(), anyString());
        }
    }

    /**
     * Waiting for the draw is no failure: the agency asks again on a new connection every
     * winners.timeout, for longer than connect.deadline, and gets its winners once the other
     * agency is done.
     */
    @Test
    void waitingForTheDrawLongerThanTheDeadlineIsNoFailure() throws Exception {
        try (RunningCentral central = RunningCentral.start(dir.resolve("store"), 2)) {
            AgencyConfig patient = new AgencyConfig(1, "127.0.0.1:" + central.address().getPort(), 1, Duration.ofMillis(10), "INFO", 53, 16,
                    AgencyConfig.Mode.AGENCY, Optional.of(TestKeys.of(1)), dataFile(30), Optional.empty(), Duration.ofMillis(300),
                    Duration.ofMillis(10), Duration.ofSeconds(10), Duration.ofMillis(200));
            AgencyLog log = spy(new AgencyLog(1));
            CompletableFuture<Integer> first = runAsync(patient, log);
            verify(log, timeout(20_000).atLeast(4)).welcomed(anyLong(), anyBoolean()); // asked again 3 times: 600 ms, past the deadline
            try (Peer other = new Peer(central.address())) {
                other.hello(2);
                other.send(new AllSent(0));
                assertEquals(List.of(), other.winners());
            }
            assertEquals(0, first.get(20, TimeUnit.SECONDS));
            verify(log).winners(3);
            verify(log, never()).gaveUp(anyBoolean(), anyInt(), any(), anyString());
        }
    }

    // The agency as a process.

    private static int closedPort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        }
    }

    private RunningProgram agencyProcess(int port, Map<String, String> more) throws IOException {
        dataFile(5);
        Map<String, String> env = new java.util.HashMap<>(Map.of("CLI_ID", "1", "CLI_KEY", TestKeys.of(1), "CLI_SERVER_ADDRESS", "127.0.0.1:" + port,
                "CLI_LOG_LEVEL", "DEBUG", "CLI_LOOP_AMOUNT", "1", "CLI_LOOP_PERIOD", "1s", "CLI_BATCH_MAXAMOUNT", "53",
                "CLI_DATA_FILE", dir.resolve("agency-1.csv").toString()));
        env.putAll(more);
        return RunningProgram.start(AgencyMain.class, dir, env);
    }

    private static final Pattern GAVE_UP = Pattern.compile(
            "action: connect \\| result: fail \\| client_id: 1 \\| attempts: (\\d+) \\| error: java.net.ConnectException: Connection refused \\| tried_for: (\\S+)");

    @Test
    void withNoCentralAtAllTheAgencyGivesUpAtTheDeadlineWithOneLineAndExitCodeOne() throws Exception {
        RunningProgram agency = agencyProcess(closedPort(), Map.of("CLI_CONNECT_DEADLINE", "1500ms", "CLI_CONNECT_BACKOFF", "10ms"));
        assertEquals(1, agency.exit(Duration.ofSeconds(30)));
        agency.assertFollowsTheLogContract();
        List<String> failures = agency.actions().stream().filter(l -> l.contains("result: fail")).toList();
        assertEquals(1, failures.size(), String.join("\n", agency.output()));
        Matcher m = GAVE_UP.matcher(failures.get(0));
        assertTrue(m.matches(), failures.get(0));
        int attempts = Integer.parseInt(m.group(1));
        Duration triedFor = GoDuration.parse(m.group(2));
        assertTrue(triedFor.compareTo(Duration.ofMillis(1500)) >= 0, "it tried until the deadline: " + triedFor);
        List<String> retries = agency.actions().stream().filter(l -> l.startsWith("action: connect | result: in_progress")).toList();
        assertTrue(retries.size() >= 1 && retries.size() <= 1 + triedFor.toSeconds() / 5, String.join("\n", retries));
        assertTrue(attempts > retries.size(), attempts + " tries, " + retries.size() + " lines: not one per try");
        assertFalse(agency.actions().stream().anyMatch(l -> l.contains("action: reconnect")), "it never reached the central");
    }

    @Test
    void sigtermDuringALongWaitBetweenTriesExitsZeroAtOnce() throws Exception {
        RunningProgram agency = agencyProcess(closedPort(), Map.of("CLI_CONNECT_BACKOFF", "1m")); // each wait a minute, at least
        agency.await(l -> l.contains("action: connect | result: in_progress | client_id: 1 | attempts: 1"));
        agency.sigterm();
        assertEquals(0, agency.exit()); // well within the minute's wait
        List<String> actions = agency.actions();
        assertEquals("action: shutdown | result: success | client_id: 1", actions.get(actions.size() - 1),
                "stopped by the agency itself, not by the last-resort halt");
        assertFalse(actions.stream().anyMatch(l -> l.contains("result: fail")), String.join("\n", actions));
        agency.assertFollowsTheLogContract();
    }
}
