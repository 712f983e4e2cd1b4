package ar.loteria.central;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ar.loteria.central.reactor.Limits;
import ar.loteria.wire.AgencyMessage.BetBatch;
import ar.loteria.wire.AgencyMessage.WinnersQuery;
import ar.loteria.wire.Bet;
import ar.loteria.wire.CentralMessage.BatchAccepted;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a peer cannot do to the central: hold a connection forever, trickle, not read, or take every connection. */
class LimitsTest {
    @TempDir
    Path store;

    private RunningCentral start(int agencies, int max, int perIp, Duration idle, Duration request, Duration write) throws Exception {
        return RunningCentral.start(RunningCentral.config(store, agencies).withLimits(new Limits(max, perIp, idle, request, write)));
    }

    private static final Duration LONG = Duration.ofSeconds(30);

    @Test
    void anIdleConnectionIsClosedButAParkedQueryIsNot() throws Exception {
        try (RunningCentral central = start(2, 100, 100, Duration.ofMillis(300), LONG, LONG);
             Peer idle = new Peer(central.address()); Peer waiting = new Peer(central.address())) {
            idle.hello(2);
            waiting.sendAll(1, List.of(new BetBatch(0, TestBets.of(1, 2, 1)))).send(new WinnersQuery());
            assertTrue(idle.closedByCentral(), "an agency that sends nothing more is closed after the idle timeout");
            assertTrue(waiting.silentFor(900), "a parked query outlives the idle timeout");
            try (Peer last = new Peer(central.address())) {
                last.sendAll(2, List.of(new BetBatch(0, TestBets.of(2, 1, 1)))).winners();
            }
            assertEquals(List.of("1000001", "1000002"), waiting.collectWinners());
        }
    }

    @Test
    void pastTheConnectionLimitANewConnectionIsClosedWhenItSpeaks() throws Exception {
        try (RunningCentral central = start(1, 2, 100, LONG, LONG, LONG);
             Peer a = new Peer(central.address()); Peer b = new Peer(central.address())) {
            a.hello(1);
            b.sendBytes("ping\n".getBytes(StandardCharsets.US_ASCII));
            assertEquals("ping", new String(b.readLineForTest(), StandardCharsets.US_ASCII));
            try (Peer c = new Peer(central.address())) {
                assertTrue(c.silentFor(300), "silent, it waits in the lobby");
                c.sendBytes("ping\n".getBytes(StandardCharsets.US_ASCII));
                assertTrue(c.closedByCentral(), "it spoke, and nobody may be displaced for it");
            }
        }
    }

    @Test
    void pastTheLimitPerAddressANewConnectionFromItIsClosedWhenItSpeaksAndOthersAreNot() throws Exception {
        try (RunningCentral central = start(1, 100, 3, LONG, LONG, LONG)) {
            List<Peer> open = new ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) {
                    Peer p = new Peer(central.address());
                    p.sendBytes("ping\n".getBytes(StandardCharsets.US_ASCII));
                    assertEquals("ping", new String(p.readLineForTest(), StandardCharsets.US_ASCII));
                    open.add(p);
                }
                try (Peer fourth = new Peer(central.address())) {
                    fourth.sendBytes("ping\n".getBytes(StandardCharsets.US_ASCII));
                    assertTrue(fourth.closedByCentral(), "a fourth connection from 127.0.0.1");
                }
                open.remove(0).close();
                Peer again = waitForRoom(central);
                open.add(again);
            } finally {
                for (Peer p : open) {
                    p.close();
                }
            }
        }
    }

    /** Once a connection of the address closed, a new one is taken: tried until the central has seen the close. */
    private static Peer waitForRoom(RunningCentral central) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            Peer p = new Peer(central.address());
            p.sendBytes("ping\n".getBytes(StandardCharsets.US_ASCII));
            try {
                assertEquals("ping", new String(p.readLineForTest(), StandardCharsets.US_ASCII));
                return p;
            } catch (java.io.IOException refused) {
                p.close();
                assertTrue(System.nanoTime() < deadline, "the central never took a connection again");
            }
        }
    }

    /** A peer trickling a byte before each idle timeout never lets a request complete: it is closed after the request deadline. */
    @Test
    void aPeerTricklingARequestIsClosedAfterTheRequestDeadline() throws Exception {
        try (RunningCentral central = start(1, 100, 100, Duration.ofMillis(400), Duration.ofMillis(1_200), LONG);
             Socket trickle = new Socket()) {
            trickle.connect(central.address());
            trickle.setSoTimeout(10_000);
            OutputStream out = trickle.getOutputStream();
            long started = System.nanoTime();
            byte[] line = "x".repeat(100).getBytes(StandardCharsets.US_ASCII); // an echo line that never ends
            int sent = 0;
            try {
                while (sent < line.length) {
                    out.write(line[sent++]);
                    out.flush();
                    Thread.sleep(150); // well inside the idle timeout each time
                }
            } catch (java.io.IOException closed) {
                // the central closed it
            }
            long millis = (System.nanoTime() - started) / 1_000_000;
            assertTrue(sent < line.length, "closed before the whole line trickled in: " + sent + " bytes in " + millis + " ms");
        }
    }

    /** A peer that pipelines requests and reads none of the replies is closed once the write timeout passes without progress. */
    @Test
    void aPeerThatReadsNoneOfItsRepliesIsClosedAfterTheWriteTimeout() throws Exception {
        List<Bet> winners = new ArrayList<>();
        for (int i = 0; i < 3_000; i++) {
            winners.add(new Bet("A", "B", Integer.toString(1_000_000 + i), "1990-01-01", 7574));
        }
        try (RunningCentral central = start(1, 100, 100, LONG, LONG, Duration.ofMillis(800)); Socket deaf = new Socket()) {
            deaf.setReceiveBufferSize(4096);
            deaf.connect(central.address());
            try (Peer agency = Peer.over(deaf)) {
                agency.sendAll(1, TestBets.batches(winners, 300));
                for (int i = 0; i < 200; i++) {
                    agency.send(new WinnersQuery()); // 6 MB of answers, none read
                }
                long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
                InputStream in = deaf.getInputStream();
                Thread.sleep(2_000); // not reading, for longer than the write timeout
                byte[] sink = new byte[1 << 16];
                long read = 0;
                try {
                    for (int n; (n = in.read(sink)) >= 0 && System.nanoTime() < deadline; ) {
                        read += n;
                    }
                } catch (java.io.IOException reset) {
                    // closed under us
                }
                assertTrue(read < 200L * 3_000 * 9, "the connection was cut before every answer went out: " + read + " bytes read");
            }
        }
    }

    @Test
    void aSlowReaderStillGetsItsWholeAnswerLongAfterTheIdleTimeout() throws Exception {
        List<Bet> winners = new ArrayList<>();
        for (int i = 0; i < 400_000; i++) {
            winners.add(new Bet("A", "B", Integer.toString(10_000_000 + i), "1990-01-01", 7574));
        }
        try (RunningCentral central = start(2, 100, 100, Duration.ofMillis(400), LONG, LONG); Socket slow = new Socket()) {
            slow.setReceiveBufferSize(2048); // most of the answer has to wait in the central
            slow.connect(central.address());
            try (Peer agency = Peer.over(slow)) {
                agency.sendAll(1, TestBets.batches(winners, 320)).send(new WinnersQuery());
                assertTrue(agency.silentFor(1_500), "parked well past the idle timeout, as agencies waiting for the others are");
                try (Peer last = new Peer(central.address())) {
                    last.sendAll(2, List.of(new BetBatch(0, TestBets.of(2, 1, 2)))).winners();
                }
                assertEquals(400_000, agency.collectWinnersSlowly(Duration.ofMillis(1)).size());
            }
        }
    }

    @Test
    void batchesPipelinedBeyondTheLimitOfUnansweredRequestsAreAllStored() throws Exception {
        List<Bet> bets = TestBets.of(1, 5_000, 11);
        try (RunningCentral central = start(1, 100, 100, LONG, LONG, LONG); Peer agency = new Peer(central.address())) {
            agency.hello(1);
            java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
            List<BetBatch> batches = TestBets.batches(bets, 25); // 200 batches in one write: more than 64 in flight
            batches.forEach(b -> all.writeBytes(Peer.bytes(b)));
            agency.sendBytes(all.toByteArray());
            for (BetBatch b : batches) {
                assertEquals(new BatchAccepted(b.firstOffset(), 25, b.endOffset()), agency.receive());
            }
        }
    }
}
