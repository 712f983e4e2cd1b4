package ar.loteria.agency.campaign;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ar.loteria.central.Peer;
import ar.loteria.central.RunningProgram;
import ar.loteria.wire.AgencyMessage.AllSent;
import ar.loteria.wire.AgencyMessage.Hello;
import ar.loteria.wire.AgencyMessage.Proof;
import ar.loteria.wire.CentralMessage.Challenge;
import ar.loteria.wire.CentralMessage.Failure;
import ar.loteria.wire.ErrorCode;
import ar.loteria.wire.Proofs;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crashes, as CI runs them: real processes, real SIGKILLs, the same store across restarts. What
 * must hold after all of it: every bet stored exactly once and in each agency's order, each
 * agency told its own winners, every process ending 0.
 */
class CrashCampaignTest {
    private static final int KILLS = 20;
    private static final Duration DEADLINE = Duration.ofMinutes(3);

    @TempDir
    Path dir;

    /** Waits until the store grew by {@code bytes} past {@code from}: the central is ingesting. */
    private static long awaitGrowth(Fleet fleet, long from, long bytes, List<RunningProgram> agencies) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (fleet.storedBytes() < from + bytes) {
            assertTrue(System.nanoTime() < deadline, "the store stopped growing at " + fleet.storedBytes() + " bytes");
            assertTrue(agencies.stream().anyMatch(RunningProgram::alive), "every agency ended before the campaign did");
            Thread.sleep(5);
        }
        return fleet.storedBytes();
    }

    private static InetSocketAddress listening(RunningProgram central, Fleet fleet) throws InterruptedException {
        central.await(l -> l.contains("action: accept_connections | result: in_progress"));
        return new InetSocketAddress("127.0.0.1", fleet.port);
    }

    @Test
    void twentySigkillsOfTheCentralDuringIngestLoseNothingAndStoreNothingTwice() throws Exception {
        Fleet fleet = new Fleet(dir, 4, 40_000);
        Random random = new Random(42);
        RunningProgram central = fleet.central();
        listening(central, fleet);
        List<RunningProgram> agencies = new ArrayList<>();
        for (int a = 1; a <= fleet.agencies; a++) {
            agencies.add(fleet.agency(a, 40 + 10 * a));
        }
        long size = 0;
        for (int kill = 1; kill <= KILLS; kill++) {
            size = awaitGrowth(fleet, size, 4_000 + random.nextInt(40_000), agencies);
            central.sigkill();
            central = fleet.central();
            listening(central, fleet);
            size = fleet.storedBytes(); // recovery may have cut an uncommitted tail
        }
        for (int a = 1; a <= fleet.agencies; a++) {
            RunningProgram agency = agencies.get(a - 1);
            int code = agency.exit(DEADLINE);
            assertEquals(0, code, "agency " + a + ":\n" + String.join("\n", agency.output().subList(Math.max(0, agency.output().size() - 15), agency.output().size())));
            int expected = fleet.winners.get(a);
            assertTrue(agency.actions().contains("action: consulta_ganadores | result: success | cant_ganadores: " + expected),
                    "agency " + a + " expected " + expected + " winners:\n" + String.join("\n", agency.output()));
        }
        central.sigterm();
        assertEquals(0, central.exit());
        assertExactlyOnceInOrder(fleet);
    }

    /**
     * An agency killed mid-run and started again with another batch size; a stranger trying to
     * close the agency's bets without its key, all along. The honest agency still finishes right.
     */
    @Test
    void anAgencyKilledAndRestartedWithAnotherBatchSizeAndAnImpostorChangeNothing() throws Exception {
        Fleet fleet = new Fleet(dir, 2, 60_000);
        RunningProgram central = fleet.central();
        InetSocketAddress address = listening(central, fleet);
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger refusals = new AtomicInteger();
        Thread impostor = new Thread(() -> {
            byte[] wrongKey = "a-key-that-is-not-agency-1s".getBytes(StandardCharsets.UTF_8);
            while (running.get()) {
                try (Peer stranger = new Peer(address)) {
                    stranger.send(new Hello(1));
                    byte[] nonce = stranger.receive(Challenge.class).nonce();
                    stranger.send(new Proof(Proofs.proof(wrongKey, 1, nonce)), new AllSent(0));
                    if (stranger.receive(Failure.class).error().code() == ErrorCode.AUTH_FAILED) {
                        refusals.incrementAndGet();
                    }
                } catch (IOException | RuntimeException e) {
                    // a refused connection, or one cut by the central's limits
                }
            }
        });
        impostor.start();
        RunningProgram one = fleet.agency(1, 53);
        RunningProgram two = fleet.agency(2, 97);
        awaitGrowth(fleet, 0, 200_000, List.of(one, two));
        one.sigkill();
        RunningProgram restarted = fleet.agency(1, 200); // another batch size: resends overlap the old batches
        assertEquals(0, restarted.exit(DEADLINE));
        assertEquals(0, two.exit(DEADLINE));
        running.set(false);
        impostor.join();
        assertTrue(restarted.actions().contains("action: consulta_ganadores | result: success | cant_ganadores: " + fleet.winners.get(1)));
        assertTrue(two.actions().contains("action: consulta_ganadores | result: success | cant_ganadores: " + fleet.winners.get(2)));
        assertTrue(refusals.get() > 0, "the impostor was refused");
        central.sigterm();
        assertEquals(0, central.exit());
        assertExactlyOnceInOrder(fleet);
    }

    private static void assertExactlyOnceInOrder(Fleet fleet) throws IOException {
        List<String> stored = fleet.stored();
        assertEquals(fleet.agencies * fleet.betsEach, stored.size(), "as many rows as bets");
        for (int a = 1; a <= fleet.agencies; a++) {
            String prefix = Long.toString(a * 10_000_000L).substring(0, 1);
            int agency = a;
            List<String> own = stored.stream().filter(d -> d.length() == 8 && d.startsWith(prefix)
                    && Long.parseLong(d) / 10_000_000L == agency).toList();
            assertEquals(fleet.documents.get(a), own, "agency " + a + ": every bet once, in the order of its file");
        }
    }
}
