package ar.loteria.central.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ar.loteria.central.Peer;
import ar.loteria.central.RunningCentral;
import ar.loteria.central.ServerConfig;
import ar.loteria.central.StatusPage;
import ar.loteria.central.TestBets;
import ar.loteria.central.TestKeys;
import ar.loteria.central.reactor.Limits;
import ar.loteria.central.session.Lottery;
import ar.loteria.wire.AgencyMessage.BetBatch;
import ar.loteria.wire.AgencyMessage.Hello;
import ar.loteria.wire.AgencyMessage.Proof;
import ar.loteria.wire.AgencyMessage.WinnersQuery;
import ar.loteria.wire.Bet;
import ar.loteria.wire.CentralMessage.BatchRejected;
import ar.loteria.wire.CentralMessage.Challenge;
import ar.loteria.wire.CentralMessage.Failure;
import ar.loteria.wire.ErrorCode;
import ar.loteria.wire.Proofs;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The status view of a real central, read over HTTP on loopback while agencies play a round on real sockets. */
class StatusViewTest {
    @TempDir
    Path store;

    private static RunningCentral withStatus(ServerConfig config) throws IOException {
        return RunningCentral.start(config.withStatus("127.0.0.1", 0));
    }

    private static double number(StatusPage page, String... path) {
        return (Double) page.json(path);
    }

    @Test
    void anOperatorFollowsTheRoundThenSeesTheDrawAndARestartShowsWhatWasRecovered() throws Exception {
        List<Bet> first = TestBets.of(1, 30, 7);
        List<Bet> second = TestBets.of(2, 12, 5);
        InetSocketAddress statusAddress;
        try (RunningCentral central = withStatus(RunningCentral.config(store, 2)); Peer one = new Peer(central.address())) {
            statusAddress = central.statusAddress().orElseThrow();
            assertTrue(statusAddress.getAddress().isLoopbackAddress(), "on loopback unless SERVER_STATUS_IP says otherwise");
            assertTrue(StatusPage.await(statusAddress, "/health", p -> p.code() == 200).body().startsWith("ok"), "the reactor sweeps");

            one.sendAll(1, TestBets.batches(first, 10)).send(new WinnersQuery()); // parked: agency 2 is not done
            StatusPage during = StatusPage.await(statusAddress, "/status", p -> number(p, "agencies", "done") == 1);
            assertEquals("application/json", during.headers().get("content-type"));
            assertEquals(Map.of("expected", 2.0, "connected", 1.0, "done", 1.0), during.json("agencies"));
            assertEquals(30.0, number(during, "bets_stored"));
            assertEquals(3.0, number(during, "batches_stored"));
            assertEquals("taking_bets", during.json("draw"));
            assertEquals(Map.of("batches", 0.0, "bytes", 0.0, "budget_bytes", (double) Lottery.IN_FLIGHT_BYTES), during.json("in_flight"),
                    "every batch is settled: nothing holds the budget");
            assertEquals(1.0, number(during, "connections", "open"));
            assertEquals(Map.of("connection_limit", 0.0, "displaced", 0.0, "output_shed", 0.0, "accept_failed", 0.0, "auth_failed", 0.0,
                    "protocol_error", 0.0, "batch_rejected", 0.0), during.json("refusals"));
            assertEquals(true, during.json("reactor", "healthy"));

            StatusPage metrics = StatusPage.get(statusAddress, "/metrics");
            assertEquals(200, metrics.code());
            assertEquals("text/plain; version=0.0.4; charset=utf-8", metrics.headers().get("content-type"));
            Map<String, Double> samples = metrics.samples();
            assertEquals(30.0, samples.get("loteria_bets_stored"));
            assertEquals(1.0, samples.get("loteria_agencies_done"));
            assertEquals(2.0, samples.get("loteria_agencies_expected"));
            assertEquals(1.0, samples.get("loteria_draw_state{state=\"taking_bets\"}"));
            assertEquals(0.0, samples.get("loteria_draw_state{state=\"drawn\"}"));
            assertEquals(0.0, samples.get("loteria_refusals_total{reason=\"auth_failed\"}"));
            assertEquals(1.0, samples.get("loteria_healthy"));
            assertEveryMetricIsDescribedBeforeItsSamples(metrics.body());

            try (Peer two = new Peer(central.address())) {
                two.sendAll(2, TestBets.batches(second, 5));
                assertEquals(TestBets.winnersOf(second), two.winners());
                assertEquals(TestBets.winnersOf(first), one.collectWinners());
                // The draw's state changes before any winners leave: no waiting needed.
                StatusPage after = StatusPage.get(statusAddress, "/status");
                assertEquals("drawn", after.json("draw"));
                assertEquals(Map.of("expected", 2.0, "connected", 2.0, "done", 2.0), after.json("agencies"));
                assertEquals(42.0, number(after, "bets_stored"));
                Map<String, Double> drawn = StatusPage.get(statusAddress, "/metrics").samples();
                assertEquals(1.0, drawn.get("loteria_draw_state{state=\"drawn\"}"));
                assertEquals(0.0, drawn.get("loteria_draw_state{state=\"taking_bets\"}"));
                assertEquals(42.0, drawn.get("loteria_bets_stored"));
            }
        }
        assertThrows(ConnectException.class, () -> new Socket(statusAddress.getAddress(), statusAddress.getPort()).close(),
                "a stopped central's status view is closed too");

        try (RunningCentral again = withStatus(RunningCentral.config(store, 2))) {
            InetSocketAddress status = again.statusAddress().orElseThrow();
            StatusPage recovered = StatusPage.await(status, "/status", p -> p.json("draw").equals("drawn"));
            assertEquals(42.0, number(recovered, "bets_stored"), "the recovered bets count");
            assertEquals(Map.of("expected", 2.0, "connected", 0.0, "done", 2.0), recovered.json("agencies"));
            assertEquals(0.0, number(recovered, "batches_stored"), "batches are counted from the start");
        }
    }

    private static void assertEveryMetricIsDescribedBeforeItsSamples(String body) {
        Set<String> typed = new java.util.HashSet<>();
        for (String line : body.split("\n")) {
            if (line.startsWith("# TYPE ")) {
                String[] parts = line.split(" ");
                assertTrue(Set.of("gauge", "counter").contains(parts[3]), line);
                assertTrue(typed.add(parts[2]), "one TYPE per metric: " + line);
            } else if (!line.startsWith("# HELP ")) {
                String name = line.split("[ {]")[0];
                assertTrue(typed.contains(name), "a sample before its TYPE: " + line);
                assertTrue(!name.endsWith("_total") || body.contains("# TYPE " + name + " counter"), "only counters end in _total: " + line);
            }
        }
    }

    @Test
    void refusalsAreCountedByReason() throws Exception {
        Duration t = Duration.ofSeconds(30);
        ServerConfig config = RunningCentral.config(store, 1).withLimits(new Limits(10_240, 4, t, t, t));
        List<Bet> bets = new ArrayList<>(TestBets.of(1, 5, 2));
        bets.set(3, new Bet("Ana", "Paz", "123", "1999-02-30", 1));
        try (RunningCentral central = withStatus(config); Peer agency = new Peer(central.address())) {
            InetSocketAddress status = central.statusAddress().orElseThrow();
            try (Peer stranger = new Peer(central.address())) {
                stranger.send(new Hello(1));
                byte[] nonce = stranger.receive(Challenge.class).nonce();
                stranger.send(new Proof(Proofs.proof(TestKeys.bytes(2), 1, nonce)));
                assertEquals(ErrorCode.AUTH_FAILED, stranger.receive(Failure.class).error().code());
            }
            try (Peer garbled = new Peer(central.address())) {
                garbled.sendBytes(new byte[] {(byte) 0xF5, 2, 0x55, 0, 0});
                assertEquals(ErrorCode.UNKNOWN_TYPE, garbled.receive(Failure.class).error().code());
            }
            agency.hello(1);
            agency.send(new BetBatch(0, bets));
            agency.receive(BatchRejected.class);
            // The two refused are held, unread, until a newcomer needs their places.
            StatusPage.await(status, "/status", p -> number(p, "refusals", "batch_rejected") == 1 && number(p, "connections", "open") == 3);

            List<Peer> idle = new ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) {
                    idle.add(new Peer(central.address()));
                }
                Peer newcomer = new Peer(central.address());
                idle.add(newcomer);
                // Past the limit of 4 connections per address the last three wait in the lobby; as
                // each speaks, the two held make room, then the oldest silent one.
                for (Peer speaker : idle.subList(1, 4)) {
                    speaker.sendBytes("ping\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                }
                assertTrue(idle.get(0).closedByCentral(), "the oldest silent one made room for the newcomer");
                StatusPage page = StatusPage.await(status, "/status", p -> number(p, "refusals", "displaced") == 3);
                assertEquals(Map.of("connection_limit", 0.0, "displaced", 3.0, "output_shed", 0.0, "accept_failed", 0.0, "auth_failed", 1.0,
                        "protocol_error", 1.0, "batch_rejected", 1.0), page.json("refusals"));
                assertEquals(4.0, number(page, "connections", "open"));
                assertEquals(10_240.0, number(page, "connections", "max"));
                assertEquals(Map.of("expected", 1.0, "connected", 1.0, "done", 0.0), page.json("agencies"));
                assertEquals(0.0, number(page, "bets_stored"), "a rejected batch stores nothing");
                Map<String, Double> samples = StatusPage.get(status, "/metrics").samples();
                assertEquals(1.0, samples.get("loteria_refusals_total{reason=\"batch_rejected\"}"));
                assertEquals(3.0, samples.get("loteria_refusals_total{reason=\"displaced\"}"));
            } finally {
                for (Peer p : idle) {
                    p.close();
                }
            }
        }
    }

    @Test
    void onlyThePagesAreServedAndOnlyToBeRead() throws Exception {
        try (RunningCentral central = withStatus(RunningCentral.config(store, 1))) {
            InetSocketAddress status = central.statusAddress().orElseThrow();
            for (String path : List.of("/", "/metricsx", "/status/", "/../etc/passwd")) {
                assertEquals(404, StatusPage.get(status, path).code(), path);
            }
            StatusPage post = StatusPage.request(status, "POST", "/status");
            assertEquals(405, post.code());
            assertEquals("GET, HEAD", post.headers().get("allow"));
            StatusPage head = StatusPage.request(status, "HEAD", "/metrics");
            assertEquals(200, head.code());
            assertEquals("", head.body());
            assertTrue(StatusPage.get(status, "/status?pretty=1").json() instanceof Map, "a query string changes nothing");
            assertEquals(Set.of(), threadsNamed("status", "HTTP-Dispatcher"), "the reactor serves it: no thread of its own");
        }
    }

    @Test
    void aHeadThatDoesNotParseOrDoesNotFitIsRefusedAndAStalledOneHoldsUpNoOther() throws Exception {
        try (RunningCentral central = withStatus(RunningCentral.config(store, 1))) {
            InetSocketAddress status = central.statusAddress().orElseThrow();
            StatusPage.await(status, "/health", p -> p.code() == 200);
            assertTrue(raw(status, "hello\r\n\r\n").startsWith("HTTP/1.1 400 "), "not a request line");
            assertTrue(raw(status, "GET /health HTTP/1.0\r\n").startsWith("HTTP/1.1 400 "), "the peer's end cut the head short");
            String tooLong = raw(status, "GET /health HTTP/1.0\r\nX-Pad: " + "x".repeat(600) + "\r\n\r\n");
            assertTrue(tooLong.startsWith("HTTP/1.1 431 "), tooLong);
            try (Socket stalled = new Socket()) {
                stalled.connect(status, 10_000);
                stalled.getOutputStream().write("GET /status HTTP/1.0\r\n".getBytes(StandardCharsets.US_ASCII)); // never whole
                StatusPage health = StatusPage.get(status, "/health");
                assertEquals(200, health.code(), "answered while another request stalls");
                assertEquals(Map.of("content-type", "text/plain; charset=utf-8", "cache-control", "no-store", "content-length", "3",
                        "connection", "close"), health.headers());
                assertEquals("ok\n", health.body());
            }
        }
    }

    @Test
    void eachPortServesItsOwnSessionsOnly() throws Exception {
        try (RunningCentral central = withStatus(RunningCentral.config(store, 1))) {
            InetSocketAddress status = central.statusAddress().orElseThrow();
            try (Peer agency = new Peer(status)) {
                agency.send(new Hello(1));
                String answer = new String(agency.readToEnd(), StandardCharsets.ISO_8859_1);
                assertTrue(answer.startsWith("HTTP/1.1 400 "), "the status port has no lottery session: " + answer);
            }
            try (Peer request = new Peer(central.address())) {
                request.sendBytes("GET /health HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                assertEquals("GET /health HTTP/1.0\r", new String(request.readLineForTest(), StandardCharsets.US_ASCII),
                        "the lottery's port echoes the line: it has no status session");
            }
            StatusPage page = StatusPage.await(status, "/status", p -> number(p, "connections", "open") == 0);
            assertEquals(0.0, number(page, "connections", "open"), "the view's own connections are not the lottery's");
        }
    }

    /** What the view answers to {@code request}, sent whole and followed by the end of our side. */
    private static String raw(InetSocketAddress address, String request) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(address, 10_000);
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            socket.shutdownOutput();
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    @Test
    void offByDefault() throws Exception {
        Set<Thread> before = threadsNamed("status", "HTTP-Dispatcher");
        try (RunningCentral central = RunningCentral.start(store, 1); Peer agency = new Peer(central.address())) {
            agency.hello(1);
            assertTrue(central.statusAddress().isEmpty());
            Set<Thread> after = threadsNamed("status", "HTTP-Dispatcher");
            after.removeAll(before);
            assertEquals(Set.of(), after, "no thread of the status view");
        }
    }

    @Test
    void aStatusPortThatIsTakenStopsTheStartAndLeavesTheStoreUntouched() throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            ServerConfig config = RunningCentral.config(store, 1).withStatus("127.0.0.1", taken.getLocalPort());
            IOException e = assertThrows(IOException.class, () -> RunningCentral.start(config));
            assertTrue(e.getMessage().startsWith("the status view cannot listen on 127.0.0.1:" + taken.getLocalPort() + ": "), e.getMessage());
            assertTrue(!store.resolve("bets.csv").toFile().exists(), "the store is not opened");
        }
    }

    private static Set<Thread> threadsNamed(String... names) {
        Set<String> wanted = Set.of(names);
        return Thread.getAllStackTraces().keySet().stream().filter(t -> wanted.contains(t.getName())).collect(Collectors.toSet());
    }
}
