package ar.loteria.central;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ar.loteria.central.store.BetStorage;
import ar.loteria.wire.AgencyMessage.AllSent;
import ar.loteria.wire.AgencyMessage.BetBatch;
import ar.loteria.wire.AgencyMessage.Hello;
import ar.loteria.wire.AgencyMessage.Proof;
import ar.loteria.wire.AgencyMessage.WinnersQuery;
import ar.loteria.wire.Bet;
import ar.loteria.wire.BetRules;
import ar.loteria.wire.CentralMessage.Welcome;
import ar.loteria.wire.Message;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A fuzz campaign against a live central: 10,000 random and mutated frames over many connections,
 * some before any handshake, some after agency 4 proved itself, while agencies 1 to 3 send their
 * bets honestly. Afterwards: no fatal error, the honest agencies' bets each stored once and their
 * winners right, and nothing stored for agency 4 that breaks a rule.
 */
class LiveFuzzTest {
    private static final int FRAMES = 10_000;

    @TempDir
    Path store;

    private static byte[] mutate(byte[] seed, Random random) {
        byte[] b = seed.clone();
        switch (random.nextInt(4)) {
            case 0:
                for (int i = 0, n = 1 + random.nextInt(3); i < n; i++) {
                    b[random.nextInt(b.length)] ^= (byte) (1 + random.nextInt(255));
                }
                return b;
            case 1:
                for (int i = 0, n = 1 + random.nextInt(6); i < n && b.length > 5; i++) {
                    b[5 + random.nextInt(b.length - 5)] = (byte) random.nextInt(256);
                }
                return b;
            case 2: {
                byte[] out = new byte[5 + random.nextInt(200)];
                random.nextBytes(out);
                System.arraycopy(b, 0, out, 0, 3);
                out[3] = (byte) ((out.length - 5) >> 8);
                out[4] = (byte) (out.length - 5);
                return out;
            }
            default:
                return b; // sent as it is: valid frames out of order are a test too
        }
    }

    private static List<byte[]> seeds() {
        List<Bet> bets = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            bets.add(new Bet("Fuzz " + i, "Zoë, \"x\"", Integer.toString(40_000_000 + i), "1990-02-28", i * 379 % 10_000));
        }
        List<Message> messages = List.of(new Hello(4), new BetBatch(0, bets), new BetBatch(10, bets.subList(0, 5)),
                new AllSent(3), new WinnersQuery(), new Proof(new byte[32]));
        List<byte[]> out = new ArrayList<>();
        messages.forEach(m -> out.add(Peer.bytes(m)));
        return out;
    }

    /** One fuzzing connection: maybe a handshake as agency 4, then a few frames; reads whatever comes back. */
    private static int fuzzOnce(RunningCentral central, Random random, List<byte[]> seeds, AtomicInteger sent) {
        try (Socket socket = new Socket()) {
            socket.connect(central.address(), 5_000);
            socket.setSoTimeout(2_000);
            Peer peer = Peer.over(socket);
            if (random.nextBoolean()) {
                peer.hello(4);
            }
            int frames = 1 + random.nextInt(20);
            for (int i = 0; i < frames; i++) {
                peer.sendBytes(mutate(seeds.get(random.nextInt(seeds.size())), random));
                sent.incrementAndGet();
            }
            socket.shutdownOutput(); // the central answers what it took, then closes; a parked query keeps it open
            socket.setSoTimeout(50);
            InputStream in = socket.getInputStream();
            byte[] sink = new byte[4096];
            try {
                while (in.read(sink) >= 0) {
                    continue; // replies, then the close
                }
            } catch (SocketTimeoutException waiting) {
                // the central waits for more: a partial frame, or a parked query
            }
            return frames;
        } catch (IOException | AssertionError e) {
            return 0; // the central closed it mid-handshake: that is allowed
        }
    }

    @Test
    void tenThousandFuzzedFramesAgainstALiveCentralBreakNothingAndStoreNothingInvalid() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(5);
        try (RunningCentral central = RunningCentral.start(store, 4)) {
            List<Future<?>> honest = new ArrayList<>();
            for (int a = 1; a <= 3; a++) {
                int agency = a;
                honest.add(pool.submit(() -> {
                    try (Peer peer = new Peer(central.address())) {
                        peer.sendAll(agency, TestBets.batches(TestBets.of(agency, 3_000, 7 + agency), 40));
                    }
                    return null;
                }));
            }
            AtomicInteger sent = new AtomicInteger();
            List<Future<?>> fuzzers = new ArrayList<>();
            for (int f = 0; f < 2; f++) {
                Random random = new Random(1000 + f);
                List<byte[]> seeds = seeds();
                fuzzers.add(pool.submit(() -> {
                    while (sent.get() < FRAMES) {
                        fuzzOnce(central, random, seeds, sent);
                    }
                    return null;
                }));
            }
            for (Future<?> f : honest) {
                f.get(120, TimeUnit.SECONDS);
            }
            for (Future<?> f : fuzzers) {
                f.get(300, TimeUnit.SECONDS);
            }
            assertTrue(sent.get() >= FRAMES);
            long agency4;
            try (Peer four = new Peer(central.address())) {
                Welcome welcome = four.hello(4);
                agency4 = welcome.stored();
                if (!welcome.done()) {
                    four.send(new AllSent(agency4));
                }
                four.winners();
            }
            for (int a = 1; a <= 3; a++) {
                try (Peer peer = new Peer(central.address())) {
                    peer.hello(a);
                    assertEquals(TestBets.winnersOf(TestBets.of(a, 3_000, 7 + a)), peer.winners(), "agency " + a);
                }
            }
            Set<String> honestDocuments = new HashSet<>();
            for (int a = 1; a <= 3; a++) {
                TestBets.of(a, 3_000, 7 + a).forEach(b -> honestDocuments.add(b.document()));
            }
            List<String> seen = new ArrayList<>();
            long fours = 0;
            try (Stream<BetStorage.Bet> bets = BetStorage.loadBets(central.betsCsv())) {
                for (BetStorage.Bet bet : (Iterable<BetStorage.Bet>) bets::iterator) {
                    if (bet.agency() == 4) {
                        fours++;
                        assertEquals(java.util.Optional.empty(), BetRules.check(new Bet(bet.firstName(), bet.lastName(), bet.document(),
                                bet.birthdate(), bet.number()), LocalDate.now()), "a stored bet of agency 4 breaks a rule: " + bet);
                    } else {
                        seen.add(bet.document());
                    }
                }
            }
            assertEquals(9_000, seen.size(), "the honest agencies' bets, once each");
            assertEquals(honestDocuments, new HashSet<>(seen));
            assertEquals(agency4, fours, "agency 4 has as many rows as the central said it holds");
        } finally {
            pool.shutdownNow();
        }
    }
}
