package ar.loteria.central;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ar.loteria.wire.AgencyMessage.AllSent;
import ar.loteria.wire.AgencyMessage.BetBatch;
import ar.loteria.wire.AgencyMessage.Hello;
import ar.loteria.wire.AgencyMessage.WinnersQuery;
import ar.loteria.wire.Bet;
import ar.loteria.wire.CentralMessage.BatchAccepted;
import ar.loteria.wire.CentralMessage.BatchRejected;
import ar.loteria.wire.CentralMessage.Failure;
import ar.loteria.wire.ErrorCode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The central over real loopback sockets. */
class CentralTest {
    @TempDir
    Path store;

    private List<String> storedRows(RunningCentral central) throws IOException {
        return Files.readAllLines(central.betsCsv(), StandardCharsets.UTF_8);
    }

    private static List<String> documentsOf(List<String> rows) {
        return rows.stream().map(r -> r.split(",")[3]).toList();
    }

    @Test
    void anAgencyWritingOneByteAtATimeIsServedLikeAnyOther() throws Exception {
        List<Bet> bets = TestBets.of(1, 40, 7);
        try (RunningCentral central = RunningCentral.start(store, 1); Peer agency = new Peer(central.address())) {
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            all.writeBytes(Peer.bytes(new Hello(1)));
            all.writeBytes(Peer.bytes(new BetBatch(1, bets)));
            for (byte b : all.toByteArray()) {
                agency.sendBytes(new byte[] {b});
            }
            assertEquals(new BatchAccepted(1, 40), agency.receive());
            agency.send(new AllSent(1));
            assertEquals(TestBets.winnersOf(bets), agency.winners());
            assertEquals(40, storedRows(central).size());
        }
    }

    @Test
    void manyFramesInOneWriteAreAnsweredInOrder() throws Exception {
        List<List<Bet>> batches = TestBets.batches(TestBets.of(1, 30, 5), 10);
        try (RunningCentral central = RunningCentral.start(store, 1); Peer agency = new Peer(central.address())) {
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            all.writeBytes(Peer.bytes(new Hello(1)));
            for (int i = 0; i < 3; i++) {
                all.writeBytes(Peer.bytes(new BetBatch(i + 1, batches.get(i))));
            }
            all.writeBytes(Peer.bytes(new AllSent(3)));
            all.writeBytes(Peer.bytes(new WinnersQuery()));
            agency.sendBytes(all.toByteArray());
            for (int i = 1; i <= 3; i++) {
                assertEquals(new BatchAccepted(i, 10), agency.receive());
            }
            assertEquals(TestBets.winnersOf(TestBets.of(1, 30, 5)), agency.collectWinners());
        }
    }

    @Test
    void twoHundredConcurrentAgenciesEachGetExactlyTheirOwnWinners() throws Exception {
        int agencies = 200;
        ExecutorService pool = Executors.newFixedThreadPool(agencies);
        try (RunningCentral central = RunningCentral.start(store, agencies)) {
            List<Future<List<String>>> answers = new ArrayList<>();
            for (int a = 1; a <= agencies; a++) {
                int agency = a;
                answers.add(pool.submit(() -> {
                    try (Peer peer = new Peer(central.address())) {
                        return peer.sendAll(agency, TestBets.batches(TestBets.of(agency, 60, 9 + agency % 5), 25)).winners();
                    }
                }));
            }
            for (int a = 1; a <= agencies; a++) {
                assertEquals(TestBets.winnersOf(TestBets.of(a, 60, 9 + a % 5)), answers.get(a - 1).get(60, TimeUnit.SECONDS), "agency " + a);
            }
            List<String> documents = documentsOf(storedRows(central));
            assertEquals(agencies * 60, documents.size());
            assertEquals(agencies * 60, new HashSet<>(documents).size(), "every bet stored exactly once");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aPeerThatClosesInTheMiddleOfAFrameLeavesNothingOfItStored() throws Exception {
        List<Bet> first = TestBets.of(1, 10, 3);
        List<Bet> second = TestBets.of(1, 20, 3).subList(10, 20);
        try (RunningCentral central = RunningCentral.start(store, 1)) {
            try (Peer agency = new Peer(central.address())) {
                agency.send(new Hello(1), new BetBatch(1, first));
                assertEquals(new BatchAccepted(1, 10), agency.receive());
                byte[] frame = Peer.bytes(new BetBatch(2, second));
                agency.sendBytes(Arrays.copyOf(frame, frame.length - 1));
            }
            try (Peer again = new Peer(central.address())) {
                again.send(new Hello(1), new BetBatch(2, second));
                assertEquals(new BatchAccepted(2, 10), again.receive());
            }
            List<String> documents = documentsOf(storedRows(central));
            assertEquals(20, documents.size());
            assertEquals(20, new HashSet<>(documents).size());
        }
    }

    @Test
    void malformedFramesGetAnErrorAndCloseOnlyTheirOwnConnection() throws Exception {
        byte[][] garbage = {
            {(byte) 0xF5, 9, 1, 0, 2, 0, 1},            // version 9
            {(byte) 0xF5, 1, 0x55, 0, 0},               // unknown type
            {(byte) 0xF5, 1, 2, (byte) 0xFF, (byte) 0xFF}, // 65535-byte payload
            {(byte) 0xF5, 1, 1, 0, 3, 0, 1, 7},         // HELLO with a byte too many
        };
        ErrorCode[] expected = {ErrorCode.UNSUPPORTED_VERSION, ErrorCode.UNKNOWN_TYPE, ErrorCode.FRAME_TOO_LARGE, ErrorCode.TRAILING_BYTES};
        try (RunningCentral central = RunningCentral.start(store, 2); Peer good = new Peer(central.address())) {
            good.send(new Hello(1), new BetBatch(1, TestBets.of(1, 5, 2)));
            assertEquals(new BatchAccepted(1, 5), good.receive());
            for (int i = 0; i < garbage.length; i++) {
                try (Peer bad = new Peer(central.address())) {
                    bad.sendBytes(garbage[i]);
                    assertEquals(expected[i], bad.receive(Failure.class).error().code());
                    assertTrue(bad.closedByCentral());
                }
            }
            good.send(new BetBatch(2, TestBets.of(1, 10, 2).subList(5, 10)));
            assertEquals(new BatchAccepted(2, 5), good.receive());
        }
    }

    @Test
    void anInvalidBetRejectsItsWholeBatchAndTheConnectionGoesOn() throws Exception {
        List<Bet> bets = new ArrayList<>(TestBets.of(1, 5, 2));
        bets.set(3, new Bet("Ana", "Paz", "123", "1999-02-30", 1));
        try (RunningCentral central = RunningCentral.start(store, 1); Peer agency = new Peer(central.address())) {
            agency.send(new Hello(1), new BetBatch(1, bets));
            BatchRejected rejected = agency.receive(BatchRejected.class);
            assertEquals(1, rejected.sequence());
            assertEquals(ErrorCode.INVALID_BIRTHDATE, rejected.error().code());
            assertEquals("bet 4: birthdate 1999-02-30 is not a real date", rejected.error().reason());
            assertEquals(0, storedRows(central).size(), "all or nothing");
            agency.send(new BetBatch(1, TestBets.of(1, 5, 2)));
            assertEquals(new BatchAccepted(1, 5), agency.receive());
        }
    }

    @Test
    void echoSendsEachLineBackAndAHalfClosedPeerGetsEverythingBeforeTheClose() throws Exception {
        try (RunningCentral central = RunningCentral.start(store, 1)) {
            try (Peer echo = new Peer(central.address())) {
                echo.sendBytes("[CLIENT 1] Message N°1\nsecond line\n".getBytes(StandardCharsets.UTF_8));
                echo.sendBytes("third, then a cut one".getBytes(StandardCharsets.UTF_8));
                echo.shutdownOutput();
                assertEquals("[CLIENT 1] Message N°1\nsecond line\nthird, then a cut one", new String(echo.readToEnd(), StandardCharsets.UTF_8));
            }
            byte[] big = new byte[200_000];
            for (int i = 0; i < big.length; i++) {
                big[i] = (byte) (i % 100 == 99 ? '\n' : 'a' + i % 26);
            }
            try (Peer echo = new Peer(central.address())) {
                Thread writer = new Thread(() -> {
                    try {
                        echo.sendBytes(big);
                        echo.shutdownOutput();
                    } catch (IOException e) {
                        throw new RuntimeException(e);
                    }
                });
                writer.start();
                assertArrayEquals(big, echo.readToEnd(), "200 KB of lines echoed intact while the peer keeps writing");
                writer.join();
            }
        }
    }

    @Test
    void aPlainTextLineLongerThan8KiBEndsTheSession() throws Exception {
        try (RunningCentral central = RunningCentral.start(store, 1); Peer echo = new Peer(central.address())) {
            echo.sendBytes("x".repeat(8193).getBytes(StandardCharsets.US_ASCII));
            assertTrue(echo.closedByCentral());
        }
    }

    @Test
    void winnersAreParkedUntilTheLastAgencyIsDoneThenEachGetsItsOwn() throws Exception {
        try (RunningCentral central = RunningCentral.start(store, 3);
             Peer one = new Peer(central.address()); Peer two = new Peer(central.address()); Peer three = new Peer(central.address())) {
            one.sendAll(1, TestBets.batches(TestBets.of(1, 30, 4), 10)).send(new WinnersQuery());
            two.sendAll(2, TestBets.batches(TestBets.of(2, 30, 6), 10)).send(new WinnersQuery());
            assertTrue(one.silentFor(300), "no answer before the draw");
            assertTrue(two.silentFor(50));
            three.sendAll(3, TestBets.batches(TestBets.of(3, 30, 10), 10)).send(new WinnersQuery());
            assertEquals(TestBets.winnersOf(TestBets.of(1, 30, 4)), one.collectWinners());
            assertEquals(TestBets.winnersOf(TestBets.of(2, 30, 6)), two.collectWinners());
            assertEquals(TestBets.winnersOf(TestBets.of(3, 30, 10)), three.collectWinners());
            assertEquals(TestBets.winnersOf(TestBets.of(1, 30, 4)), one.winners(), "after the draw, at once");
        }
    }

    @Test
    void aResentBatchIsAcknowledgedAgainAndStoredOnce() throws Exception {
        List<Bet> bets = TestBets.of(1, 12, 5);
        try (RunningCentral central = RunningCentral.start(store, 1)) {
            try (Peer agency = new Peer(central.address())) {
                agency.send(new Hello(1), new BetBatch(1, bets));
                assertEquals(new BatchAccepted(1, 12), agency.receive());
                agency.send(new BetBatch(1, bets));
                assertEquals(new BatchAccepted(1, 12), agency.receive());
            }
            try (Peer reconnected = new Peer(central.address())) {
                reconnected.send(new Hello(1), new BetBatch(1, bets));
                assertEquals(new BatchAccepted(1, 12), reconnected.receive());
            }
            assertEquals(12, storedRows(central).size());
        }
    }

    @Test
    void sequenceRulesAreEnforced() throws Exception {
        try (RunningCentral central = RunningCentral.start(store, 1); Peer agency = new Peer(central.address())) {
            agency.send(new Hello(1), new BetBatch(2, TestBets.of(1, 3, 2)));
            assertEquals(ErrorCode.SEQUENCE_GAP, agency.receive(BatchRejected.class).error().code());
            agency.send(new BetBatch(1, TestBets.of(1, 3, 2)));
            assertEquals(new BatchAccepted(1, 3), agency.receive());
            agency.send(new AllSent(5));
            assertEquals(ErrorCode.SEQUENCE_MISMATCH, agency.receive(Failure.class).error().code());
            assertTrue(agency.closedByCentral());
        }
    }

    @Test
    void betsAfterTheAgencyIsDoneAreRejected() throws Exception {
        try (RunningCentral central = RunningCentral.start(store, 1); Peer agency = new Peer(central.address())) {
            agency.sendAll(1, List.of(TestBets.of(1, 3, 2)));
            assertEquals(List.of("1000002"), agency.winners());
            agency.send(new BetBatch(2, TestBets.of(1, 3, 2)));
            assertEquals(ErrorCode.BETS_CLOSED, agency.receive(BatchRejected.class).error().code());
        }
    }

    @Test
    void requestsBeforeHelloAndUnknownAgenciesAreRefused() throws Exception {
        try (RunningCentral central = RunningCentral.start(store, 5)) {
            try (Peer anonymous = new Peer(central.address())) {
                anonymous.send(new BetBatch(1, TestBets.of(1, 1, 1)));
                assertEquals(ErrorCode.NOT_IDENTIFIED, anonymous.receive(Failure.class).error().code());
            }
            try (Peer stranger = new Peer(central.address())) {
                stranger.send(new Hello(6));
                assertEquals(ErrorCode.UNKNOWN_AGENCY, stranger.receive(Failure.class).error().code());
            }
            try (Peer impostor = new Peer(central.address())) {
                impostor.send(new Hello(1)).send(new BatchAccepted(1, 1));
                assertEquals(ErrorCode.UNEXPECTED_MESSAGE, impostor.receive(Failure.class).error().code());
            }
        }
    }

    @Test
    void aReconnectingAgencyReplacesItsEarlierConnection() throws Exception {
        try (RunningCentral central = RunningCentral.start(store, 2); Peer first = new Peer(central.address())) {
            first.send(new Hello(2), new BetBatch(1, TestBets.of(2, 2, 2)));
            assertEquals(new BatchAccepted(1, 2), first.receive());
            try (Peer second = new Peer(central.address())) {
                second.send(new Hello(2), new BetBatch(2, TestBets.of(2, 4, 2).subList(2, 4)));
                assertEquals(new BatchAccepted(2, 2), second.receive());
                assertTrue(first.closedByCentral());
            }
        }
    }

    @Test
    void anIdleConnectionIsClosedButAParkedQueryIsNot() throws Exception {
        ServerConfig config = RunningCentral.config(store, 2);
        config = new ServerConfig(config.ip(), 0, 64, "INFO", 2, store, 2, 100, Duration.ofMillis(300));
        try (RunningCentral central = RunningCentral.start(config);
             Peer idle = new Peer(central.address()); Peer waiting = new Peer(central.address())) {
            waiting.sendAll(1, List.of(TestBets.of(1, 2, 1))).send(new WinnersQuery());
            assertTrue(idle.closedByCentral(), "a silent peer is closed after the idle timeout");
            assertTrue(waiting.silentFor(900), "a parked query outlives the idle timeout");
            try (Peer last = new Peer(central.address())) {
                last.sendAll(2, List.of(TestBets.of(2, 1, 1))).winners();
            }
            assertEquals(List.of("1000001", "1000002"), waiting.collectWinners());
        }
    }

    @Test
    void pastTheConnectionLimitANewConnectionIsClosedAtOnce() throws Exception {
        ServerConfig base = RunningCentral.config(store, 1);
        ServerConfig config = new ServerConfig(base.ip(), 0, 64, "INFO", 1, store, 2, 2, Duration.ofSeconds(30));
        try (RunningCentral central = RunningCentral.start(config);
             Peer a = new Peer(central.address()); Peer b = new Peer(central.address())) {
            a.send(new Hello(1));
            b.sendBytes("ping\n".getBytes(StandardCharsets.US_ASCII));
            assertEquals("ping", new String(b.readLineForTest(), StandardCharsets.US_ASCII));
            try (Peer c = new Peer(central.address())) {
                assertTrue(c.closedByCentral());
            }
        }
    }

    @Test
    void aRestartedCentralRemembersWhatItStored() throws Exception {
        List<List<Bet>> batches = TestBets.batches(TestBets.of(1, 30, 4), 10);
        try (RunningCentral central = RunningCentral.start(store, 1); Peer agency = new Peer(central.address())) {
            agency.send(new Hello(1), new BetBatch(1, batches.get(0)), new BetBatch(2, batches.get(1)));
            agency.receive(BatchAccepted.class);
            agency.receive(BatchAccepted.class);
        }
        try (RunningCentral central = RunningCentral.start(store, 1); Peer agency = new Peer(central.address())) {
            agency.send(new Hello(1), new BetBatch(2, batches.get(1)), new BetBatch(3, batches.get(2)), new AllSent(3));
            assertEquals(new BatchAccepted(2, 10), agency.receive());
            assertEquals(new BatchAccepted(3, 10), agency.receive());
            assertEquals(TestBets.winnersOf(TestBets.of(1, 30, 4)), agency.winners());
        }
        try (RunningCentral central = RunningCentral.start(store, 1); Peer agency = new Peer(central.address())) {
            agency.send(new Hello(1));
            assertEquals(TestBets.winnersOf(TestBets.of(1, 30, 4)), agency.winners(), "the draw is recovered from disk");
            assertEquals(30, new HashSet<>(documentsOf(storedRows(central))).size());
            assertEquals(30, storedRows(central).size());
        }
    }

    @Test
    void anEchoPeerResetInTheMiddleOfItsLinesLeavesNothingForTheNextConnection() throws Exception {
        try (RunningCentral central = RunningCentral.start(store, 1)) {
            for (int attempt = 0; attempt < 100; attempt++) {
                try (Socket reset = new Socket()) {
                    reset.connect(central.address());
                    reset.getOutputStream().write(("STALE-" + attempt + "\n").repeat(400).getBytes(StandardCharsets.US_ASCII));
                    reset.setSoLinger(true, 0); // close with a reset, the echoes unread
                }
                try (Peer next = new Peer(central.address())) {
                    next.sendBytes("hello\n".getBytes(StandardCharsets.US_ASCII));
                    assertEquals("hello", new String(next.readLineForTest(), StandardCharsets.US_ASCII), "attempt " + attempt);
                }
            }
        }
    }

    @Test
    void requestsPipelinedByAPeerThatDoesNotReadAreAllAnsweredInOrderOnceItDoes() throws Exception {
        List<Bet> winners = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            winners.add(new Bet("A", "B", Integer.toString(1_000_000 + i), "1990-01-01", 7574));
        }
        try (RunningCentral central = RunningCentral.start(store, 1); Peer agency = new Peer(central.address())) {
            agency.sendAll(1, TestBets.batches(winners, 200));
            assertEquals(2_000, agency.winners().size());
            ByteArrayOutputStream queries = new ByteArrayOutputStream();
            for (int i = 0; i < 1_000; i++) {
                queries.writeBytes(Peer.bytes(new WinnersQuery())); // 22 MB of answers for 5 KB of questions
            }
            agency.sendBytes(queries.toByteArray());
            for (int i = 0; i < 1_000; i++) {
                assertEquals(2_000, agency.collectWinners().size(), "answer " + i);
            }
            assertTrue(agency.silentFor(200), "nothing more, nothing less");
        }
    }

    @Test
    void anAgencyParkedLongerThanTheIdleTimeoutStillGetsItsWholeAnswerWhileItReadsIt() throws Exception {
        ServerConfig base = RunningCentral.config(store, 2);
        ServerConfig config = new ServerConfig(base.ip(), 0, 64, "INFO", 2, store, 2, 100, Duration.ofMillis(400));
        // 4.4 MB of answer: more than the kernel's send buffer (4 MB at most) can take off the central's hands.
        List<Bet> winners = new ArrayList<>();
        for (int i = 0; i < 400_000; i++) {
            winners.add(new Bet("A", "B", Integer.toString(10_000_000 + i), "1990-01-01", 7574));
        }
        try (RunningCentral central = RunningCentral.start(config); Socket slow = new Socket()) {
            slow.setReceiveBufferSize(2048); // most of the answer has to wait in the central
            slow.connect(central.address());
            try (Peer agency = Peer.over(slow)) {
                agency.sendAll(1, TestBets.batches(winners, 320)).send(new WinnersQuery());
                Thread.sleep(1_500); // parked well past the idle timeout, as agencies waiting for the others are
                try (Peer last = new Peer(central.address())) {
                    last.sendAll(2, List.of(TestBets.of(2, 1, 2))).winners();
                }
                assertEquals(400_000, agency.collectWinnersSlowly(Duration.ofMillis(1)).size());
            }
        }
    }
}
