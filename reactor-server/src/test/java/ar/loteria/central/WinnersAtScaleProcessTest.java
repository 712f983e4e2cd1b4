package ar.loteria.central;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ar.loteria.central.draw.WinnersFile;
import ar.loteria.central.store.Outcome;
import ar.loteria.central.store.Store;
import ar.loteria.wire.AgencyMessage.BetBatch;
import ar.loteria.wire.AgencyMessage.WinnersQuery;
import ar.loteria.wire.Bet;
import ar.loteria.wire.CentralMessage.Winners;
import ar.loteria.wire.FrameEncoder;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One agency puts two million bets on 7574. With the winners kept in memory, the central died of
 * an exhausted heap in the draw, at the shipped -Xmx96m, and again at every restart on that
 * store. Now it draws, answers all of them and, restarted, answers again.
 */
class WinnersAtScaleProcessTest {
    private static final int WINNERS = 2_000_000;
    /** The most bets of this test's size that fit in one frame. */
    private static final int BATCH = 340;

    @TempDir
    Path dir;

    @Test
    void twoMillionWinnersOfOneAgencyAreDrawnAndAnsweredAtTheShippedHeapAndAgainAfterARestart() throws Exception {
        Path store = dir.resolve("store");
        storeEveryBetOnTheWinningNumber(store);
        Files.write(dir.resolve("config.ini"), List.of("[DEFAULT]", "SERVER_PORT = 0", "SERVER_IP = 127.0.0.1",
                "SERVER_LISTEN_BACKLOG = 16", "LOGGING_LEVEL = INFO"), StandardCharsets.UTF_8);
        Map<String, String> env = Map.of("AGENCIES", "1", "AGENCY_KEYS", RunningCentral.keysFor(1), "SERVER_STORE_DIR", store.toString());
        String jvmOptions = "@" + Path.of("jvm.options").toAbsolutePath(); // -Xmx96m, -XX:+ExitOnOutOfMemoryError, as shipped

        RunningProgram central = RunningProgram.start(CentralMain.class, dir, env, jvmOptions);
        answersEveryWinner(central);
        central.sigterm();
        assertEquals(0, central.exit(), String.join("\n", central.output()));

        // A crash in the middle of writing the next draw's file: half of it, then garbage.
        try (RandomAccessFile half = new RandomAccessFile(store.resolve(WinnersFile.NAME).toFile(), "rw")) {
            half.setLength(half.length() / 2);
            half.seek(half.length() / 2);
            half.write("torn write".getBytes(StandardCharsets.US_ASCII));
        }
        RunningProgram restarted = RunningProgram.start(CentralMain.class, dir, env, jvmOptions);
        answersEveryWinner(restarted);
        restarted.sigterm();
        assertEquals(0, restarted.exit(), String.join("\n", restarted.output()));
    }

    /** Through the production store, as agencies would have: every bet acknowledged on disk, the agency done. */
    private void storeEveryBetOnTheWinningNumber(Path store) throws Exception {
        long started = System.nanoTime();
        ExecutorService workers = Executors.newFixedThreadPool(2);
        AtomicReference<Object> wrong = new AtomicReference<>();
        try (Store bets = Store.open(store, new CentralLog(), workers, wrong::set)) {
            Semaphore inFlight = new Semaphore(1024); // many batches per group commit: a few forces in all
            for (int first = 0; first < WINNERS; first += BATCH) {
                List<Bet> batch = new ArrayList<>(BATCH);
                for (int i = first; i < Math.min(WINNERS, first + BATCH); i++) {
                    batch.add(new Bet("A", "B", TestBets.document(1, i), "1990-01-01", 7574));
                }
                ByteBuffer frame = FrameEncoder.encode(new BetBatch(first, batch));
                byte[] payload = new byte[frame.remaining() - 5];
                frame.position(5).get(payload);
                inFlight.acquire();
                bets.saveBatch(1, ByteBuffer.wrap(payload), outcome -> {
                    if (!(outcome instanceof Outcome.Accepted)) {
                        wrong.compareAndSet(null, outcome);
                    }
                    inFlight.release();
                });
            }
            CountDownLatch done = new CountDownLatch(1);
            bets.markDone(1, WINNERS, outcome -> {
                if (!(outcome instanceof Outcome.Done)) {
                    wrong.compareAndSet(null, outcome);
                }
                done.countDown();
            });
            assertTrue(done.await(60, TimeUnit.SECONDS));
        } finally {
            workers.shutdownNow();
        }
        assertEquals(null, wrong.get());
        System.out.println("2,000,000 bets stored in " + Duration.ofNanos(System.nanoTime() - started).toMillis() + " ms");
    }

    /** The central draws at start (the agency is done); the agency gets its two million documents, in order. */
    private static void answersEveryWinner(RunningProgram central) throws Exception {
        Matcher port = Pattern.compile("address: [0-9.]+:(\\d+)").matcher(central.await(l -> l.contains("accept_connections | result: in_progress")));
        assertTrue(port.find());
        String summary = central.await(l -> l.contains("action: draw_summary"));
        System.out.println("2,000,000 winners of one agency, -Xmx96m: " + summary.substring(summary.indexOf("action:")));
        long started = System.nanoTime();
        long received = 0;
        try (Peer agency = new Peer(new InetSocketAddress("127.0.0.1", Integer.parseInt(port.group(1))))) {
            agency.hello(1);
            agency.send(new WinnersQuery());
            Winners frame;
            do {
                frame = agency.receive(Winners.class);
                for (String document : frame.documents()) {
                    assertEquals(TestBets.document(1, (int) received), document, "winner " + received);
                    received++;
                }
            } while (!frame.last());
        }
        System.out.println("answered in " + Duration.ofNanos(System.nanoTime() - started).toMillis() + " ms");
        assertEquals(WINNERS, received);
        List<String> actions = central.actions();
        int sorteo = actions.indexOf("action: sorteo | result: success");
        int answered = actions.indexOf("action: winners_query | result: success | agency: 1 | winners: " + WINNERS);
        assertTrue(sorteo >= 0 && answered > sorteo, String.join("\n", central.output()));
    }
}
