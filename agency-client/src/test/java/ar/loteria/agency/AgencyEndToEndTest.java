package ar.loteria.agency;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyBoolean;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.spy;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;

import ar.loteria.central.Peer;
import ar.loteria.central.RunningCentral;
import ar.loteria.central.ServerConfig;
import ar.loteria.central.TestBets;
import ar.loteria.central.TestKeys;
import ar.loteria.wire.AgencyMessage.BetBatch;
import ar.loteria.wire.Bet;
import ar.loteria.wire.CentralMessage.BatchAccepted;
import ar.loteria.wire.CentralMessage.Welcome;
import ar.loteria.wire.ErrorCode;
import ar.loteria.wire.WireError;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
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
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mockito.ArgumentCaptor;

/** The agency against the real central, over loopback. */
class AgencyEndToEndTest {
    @TempDir
    Path dir;

    private static AgencyConfig config(int id, String address, int maxAmount, Path data) {
        return config(id, address, maxAmount, AgencyConfig.DEFAULT_WINDOW, data);
    }

    private static AgencyConfig config(int id, String address, int maxAmount, int window, Path data) {
        return new AgencyConfig(id, address, 3, Duration.ofMillis(10), "INFO", maxAmount, window, AgencyConfig.Mode.AGENCY,
                Optional.of(TestKeys.of(id)), data, Optional.empty(), Duration.ofSeconds(30), Duration.ofMillis(20), Duration.ofSeconds(10),
                Duration.ofSeconds(20));
    }

    private static String address(InetSocketAddress a) {
        return "127.0.0.1:" + a.getPort();
    }

    /** An agency file: {@code count} bets, every {@code winEvery}-th on 7574, CRLF line ends. */
    private Path dataFile(int agency, int count, int winEvery) throws Exception {
        StringBuilder csv = new StringBuilder();
        for (int i = 1; i <= count; i++) {
            csv.append("Nombre ").append(i).append(",Fornerón,").append(agency * 1_000_000 + i).append(",1990-01-")
                    .append(String.format("%02d", 1 + i % 28)).append(',').append(i % winEvery == 0 ? 7574 : i % 7000).append("\r\n");
        }
        Path file = dir.resolve("agency-" + agency + ".csv");
        Files.writeString(file, csv, StandardCharsets.UTF_8);
        return file;
    }

    private static int run(AgencyConfig config, AgencyLog log) throws Exception {
        try (BetFile source = BetFile.open(config.dataFile(), Clock.systemDefaultZone())) {
            return new AgencyRun(config, log, new Stop(Thread.currentThread())).run(source);
        }
    }

    private static List<String> storedDocuments(RunningCentral central) throws Exception {
        return Files.readAllLines(central.betsCsv()).stream().map(l -> l.split(",")[3]).toList();
    }

    @Test
    void threeAgenciesEachLearnTheirOwnNumberOfWinners() throws Exception {
        int[][] agencies = {{1, 500, 50}, {2, 321, 40}, {3, 7, 100}}; // id, bets, every how many a winner
        try (RunningCentral central = RunningCentral.start(dir.resolve("store"), 3)) {
            List<CompletableFuture<Integer>> exits = new ArrayList<>();
            List<AgencyLog> logs = new ArrayList<>();
            for (int[] a : agencies) {
                AgencyConfig config = config(a[0], address(central.address()), 53, dataFile(a[0], a[1], a[2]));
                AgencyLog log = spy(new AgencyLog(a[0]));
                logs.add(log);
                exits.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        return run(config, log);
                    } catch (Exception e) {
                        throw new RuntimeException(e);
                    }
                }));
            }
            for (int i = 0; i < agencies.length; i++) {
                assertEquals(0, exits.get(i).get(30, TimeUnit.SECONDS));
                verify(logs.get(i)).winners(agencies[i][1] / agencies[i][2]);
                verify(logs.get(i)).allSent(agencies[i][1], (agencies[i][1] + 52) / 53);
            }
            assertEquals(828, new HashSet<>(storedDocuments(central)).size());
        }
    }

    @Test
    void anAgencyStartedBeforeTheCentralKeepsTryingUntilItListens() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        AgencyConfig config = config(1, "127.0.0.1:" + port, 53, dataFile(1, 20, 10));
        AgencyLog log = spy(new AgencyLog(1));
        CountDownLatch refused = new CountDownLatch(1);
        doAnswer(call -> {
            refused.countDown();
            return call.callRealMethod();
        }).when(log).connectRetrying(anyBoolean(), anyInt(), any(), anyString());
        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> {
            try {
                return run(config, log);
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        assertTrue(refused.await(10, TimeUnit.SECONDS), "the first try finds nobody listening");
        try (RunningCentral central = RunningCentral.start(RunningCentral.config(dir.resolve("store"), 1, port))) {
            assertEquals(0, exit.get(30, TimeUnit.SECONDS));
            verify(log).winners(2);
            verify(log, never()).gaveUp(anyBoolean(), anyInt(), any(), anyString());
        }
    }

    @Test
    void aReplyLostWithTheConnectionMakesTheAgencyResendAndTheCentralStoresItOnce() throws Exception {
        try (RunningCentral central = RunningCentral.start(dir.resolve("store"), 1);
             DroppingProxy proxy = new DroppingProxy(central.address(), 21 + 14 + 23 + 5)) { // CHALLENGE, WELCOME, one BATCH_ACCEPTED, 5 bytes of the next
            AgencyConfig config = config(1, "127.0.0.1:" + proxy.port(), 10, dataFile(1, 45, 9));
            AgencyLog log = spy(new AgencyLog(1));
            assertEquals(0, run(config, log));
            verify(log).reconnectRetrying(eq(1), any(), anyString());
            verify(log).winners(5);
            assertEquals(2, proxy.connections());
            List<String> stored = storedDocuments(central);
            assertEquals(45, stored.size(), "the batches reached the central before their replies were lost, and were not stored again");
            assertEquals(45, new HashSet<>(stored).size());
        }
    }

    @Test
    void aRejectedBatchStopsTheAgencyWithAFailure() throws Exception {
        try (RunningCentral central = RunningCentral.start(dir.resolve("store"), 1)) {
            assertEquals(0, run(config(1, address(central.address()), 10, dataFile(1, 10, 5)), new AgencyLog(1)));
            AgencyLog log = spy(new AgencyLog(1));
            assertEquals(1, run(config(1, address(central.address()), 10, dataFile(1, 30, 5)), log));
            ArgumentCaptor<WireError> error = ArgumentCaptor.forClass(WireError.class);
            verify(log).batchRejected(eq(10L), eq(10), error.capture());
            assertEquals(ErrorCode.BETS_CLOSED, error.getValue().code());
            verify(log, never()).winners(anyInt());
            assertEquals(10, storedDocuments(central).size());
        }
    }

    @Test
    void aSingleBetFromTheEnvironmentIsLoggedAtInfoWhenAccepted() throws Exception {
        try (RunningCentral central = RunningCentral.start(dir.resolve("store"), 1)) {
            AgencyConfig config = config(1, address(central.address()), 53, dir.resolve("none.csv"));
            AgencyLog log = spy(new AgencyLog(1));
            Bet bet = new Bet("Santiago Lionel", "Lorca", "30904465", "1999-03-17", 7574);
            assertEquals(0, new AgencyRun(config, log, new Stop(Thread.currentThread())).run(BetSource.of(bet)));
            verify(log).betSent("30904465", 7574, true);
            verify(log).winners(1);
        }
    }

    /**
     * The wait for the draw is bounded on each connection: past winners.timeout the agency asks
     * again over a new one, so a central that vanished without a word is noticed, and one that is
     * merely slow still answers in the end.
     */
    @Test
    void anAgencyWaitingLongForTheDrawAsksAgainOverANewConnectionAndGetsItsWinners() throws Exception {
        try (RunningCentral central = RunningCentral.start(dir.resolve("store"), 2)) {
            AgencyConfig base = config(1, address(central.address()), 53, dataFile(1, 100, 10));
            AgencyConfig patient = new AgencyConfig(base.id(), base.serverAddress(), base.loopAmount(), base.loopPeriod(), base.logLevel(),
                    base.batchMaxAmount(), base.batchWindow(), base.mode(), base.key(), base.dataFile(), base.singleBet(), base.connectDeadline(),
                    base.connectBackoff(), base.replyTimeout(), Duration.ofMillis(300));
            AgencyLog log = spy(new AgencyLog(1));
            CountDownLatch askedAgain = new CountDownLatch(3); // the first WELCOME, and two more
            doAnswer(call -> {
                askedAgain.countDown();
                return call.callRealMethod();
            }).when(log).welcomed(anyLong(), anyBoolean());
            CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> {
                try {
                    return run(patient, log);
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            assertTrue(askedAgain.await(20, TimeUnit.SECONDS), "it asked again, twice, while agency 2 had not come");
            assertEquals(0, run(config(2, address(central.address()), 53, dataFile(2, 40, 20)), new AgencyLog(2)));
            assertEquals(0, exit.get(30, TimeUnit.SECONDS));
            verify(log).winners(10);
            assertEquals(140, storedDocuments(central).size(), "nothing stored twice by the new connections");
        }
    }

    /** Found in review: a bet acknowledged only by the next WELCOME (its reply was lost) was never logged as sent. */
    @Test
    void aSingleBetWhoseReplyWasLostIsLoggedWhenTheNextWelcomeShowsItStored() throws Exception {
        try (RunningCentral central = RunningCentral.start(dir.resolve("store"), 1);
             DroppingProxy proxy = new DroppingProxy(central.address(), 21 + 14 + 5)) { // CHALLENGE, WELCOME, 5 bytes of BATCH_ACCEPTED
            AgencyConfig config = config(1, "127.0.0.1:" + proxy.port(), 53, dir.resolve("none.csv"));
            AgencyLog log = spy(new AgencyLog(1));
            Bet bet = new Bet("Santiago Lionel", "Lorca", "30904465", "1999-03-17", 7574);
            assertEquals(0, new AgencyRun(config, log, new Stop(Thread.currentThread())).run(BetSource.of(bet)));
            verify(log).reconnectRetrying(eq(1), any(), anyString());
            verify(log).betSent("30904465", 7574, true);
            verify(log).winners(1);
        }
    }

    @Test
    void echoModeTalksToAPlainEchoServer() throws Exception {
        List<String> heard = new ArrayList<>();
        try (ServerSocket echo = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            Thread server = new Thread(() -> {
                for (int i = 0; i < 3; i++) {
                    try (Socket s = echo.accept();
                         BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8))) {
                        String line = in.readLine();
                        heard.add(line);
                        OutputStream out = s.getOutputStream();
                        out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
                    } catch (Exception e) {
                        return;
                    }
                }
            });
            server.start();
            AgencyConfig config = new AgencyConfig(7, "127.0.0.1:" + echo.getLocalPort(), 3, Duration.ofMillis(10), "INFO", 53, 1,
                    AgencyConfig.Mode.ECHO, Optional.empty(), dir.resolve("none.csv"), Optional.empty(), Duration.ofSeconds(5), Duration.ofMillis(10), Duration.ofSeconds(5),
                    Duration.ofSeconds(5));
            AgencyLog log = spy(new AgencyLog(7));
            assertEquals(0, new EchoLoop(config, log, new Stop(Thread.currentThread())).run());
            server.join(5_000);
            assertEquals(List.of("[CLIENT 7] Message N°1", "[CLIENT 7] Message N°2", "[CLIENT 7] Message N°3"), heard);
            verify(log).echoed("[CLIENT 7] Message N°3");
            verify(log).loopFinished();
        }
    }

    @Test
    void noCentralAtAllIsAClearFailureOnceTheDeadlinePassed() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        AgencyConfig config = new AgencyConfig(1, "127.0.0.1:" + port, 1, Duration.ZERO, "INFO", 53, 1, AgencyConfig.Mode.AGENCY,
                Optional.of(TestKeys.of(1)), dataFile(1, 3, 2), Optional.empty(), Duration.ofMillis(200), Duration.ofMillis(5), Duration.ofSeconds(1),
                Duration.ofSeconds(1));
        AgencyLog log = spy(new AgencyLog(1));
        assertEquals(1, run(config, log));
        ArgumentCaptor<Duration> triedFor = ArgumentCaptor.forClass(Duration.class);
        verify(log).gaveUp(eq(false), anyInt(), triedFor.capture(), anyString());
        assertTrue(triedFor.getValue().compareTo(Duration.ofMillis(200)) >= 0, "it tried until the deadline: " + triedFor.getValue());
    }

    @Test
    void aCentralRestartedWhileTheAgencyWaitsForTheDrawIsReconnectedToAndTheDrawStillComesRight() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        ServerConfig onPort = RunningCentral.config(dir.resolve("store"), 2, port);
        AgencyConfig first = config(1, "127.0.0.1:" + port, 53, dataFile(1, 300, 30));
        AgencyLog log = spy(new AgencyLog(1));
        CountDownLatch waiting = new CountDownLatch(1);
        doAnswer(call -> {
            waiting.countDown();
            return call.callRealMethod();
        }).when(log).allSent(anyLong(), anyLong());
        CompletableFuture<Integer> exit;
        try (RunningCentral central = RunningCentral.start(onPort)) {
            exit = CompletableFuture.supplyAsync(() -> {
                try {
                    return run(first, log);
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            assertTrue(waiting.await(20, TimeUnit.SECONDS), "agency 1 sent everything and waits for agency 2");
        } // stopped: agency 1 is told SHUTTING_DOWN
        try (RunningCentral restarted = RunningCentral.start(onPort)) {
            assertEquals(0, run(config(2, "127.0.0.1:" + port, 53, dataFile(2, 100, 25)), new AgencyLog(2)));
            assertEquals(0, exit.get(30, TimeUnit.SECONDS));
            verify(log).reconnectRetrying(eq(1), any(), anyString());
            verify(log).winners(10);
            assertEquals(400, new HashSet<>(storedDocuments(restarted)).size());
        }
    }

    private static CompletableFuture<Integer> runAsync(AgencyConfig config, AgencyLog log) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return run(config, log);
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
    }

    /**
     * Two copies of agency 1 over two real connections: the second one's handshake replaces the
     * first, which is told REPLACED and stops with exit code 1 instead of reconnecting and pushing
     * the second off in turn. The second carries on to its winners.
     */
    @Test
    void aCopyOfAnAgencyReplacedByAnotherStopsInsteadOfPushingItOff() throws Exception {
        try (RunningCentral central = RunningCentral.start(dir.resolve("store"), 2)) {
            Path file = dataFile(1, 100, 10);
            AgencyLog firstLog = spy(new AgencyLog(1));
            CountDownLatch waiting = new CountDownLatch(1);
            doAnswer(call -> {
                waiting.countDown();
                return call.callRealMethod();
            }).when(firstLog).allSent(anyLong(), anyLong());
            CompletableFuture<Integer> first = runAsync(config(1, address(central.address()), 53, file), firstLog);
            assertTrue(waiting.await(20, TimeUnit.SECONDS), "the first copy sent everything and waits for the draw");

            AgencyLog secondLog = spy(new AgencyLog(1));
            CompletableFuture<Integer> second = runAsync(config(1, address(central.address()), 53, file), secondLog);
            assertEquals(1, first.get(20, TimeUnit.SECONDS), "the copy replaced stops");
            verify(firstLog).replaced();
            verify(firstLog, times(1)).welcomed(anyLong(), anyBoolean()); // one handshake: it never came back
            verify(firstLog, never()).winners(anyInt());

            assertEquals(0, run(config(2, address(central.address()), 53, dataFile(2, 40, 20)), new AgencyLog(2)));
            assertEquals(0, second.get(30, TimeUnit.SECONDS));
            verify(secondLog).winners(10);
            verify(secondLog, never()).replaced();
            assertEquals(140, storedDocuments(central).size(), "each bet once");
            assertEquals(140, new HashSet<>(storedDocuments(central)).size());
        }
    }

    /**
     * The central holds more of agency 1's bets than its file has: another file, or another
     * agency's number. Nothing it could send would be right, so it stops at the WELCOME with one
     * clear line and exit code 1, rather than reconnect and resend nothing forever.
     */
    @Test
    void aWelcomeCountingMoreBetsThanTheFileHoldsStopsTheAgency() throws Exception {
        try (RunningCentral central = RunningCentral.start(dir.resolve("store"), 1)) {
            try (Peer earlier = new Peer(central.address())) { // a longer file, sent earlier
                earlier.hello(1);
                earlier.send(new BetBatch(0, TestBets.of(1, 30, 5)));
                assertEquals(new BatchAccepted(0, 30, 30), earlier.receive());
            }
            Path shorter = dataFile(1, 10, 5);
            AgencyLog log = spy(new AgencyLog(1));
            assertEquals(1, runAsync(config(1, address(central.address()), 4, shorter), log).get(20, TimeUnit.SECONDS));
            verify(log).fileTooShort(shorter.toString(), 30, 10);
            verify(log, times(1)).welcomed(anyLong(), anyBoolean()); // one handshake: it never came back
            verify(log, never()).allSent(anyLong(), anyLong());
            try (Peer after = new Peer(central.address())) {
                assertEquals(new Welcome(30, false), after.hello(1), "nothing stored, nothing closed");
            }
        }
    }
}
