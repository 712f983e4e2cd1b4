package ar.loteria.central;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ar.loteria.central.draw.WinnersFile;
import ar.loteria.central.store.Repair;
import ar.loteria.wire.AgencyMessage.AllSent;
import ar.loteria.wire.AgencyMessage.BetBatch;
import ar.loteria.wire.AgencyMessage.WinnersQuery;
import ar.loteria.wire.Bet;
import ar.loteria.wire.CentralMessage.BatchAccepted;
import ar.loteria.wire.CentralMessage.Failure;
import ar.loteria.wire.ErrorCode;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A draw that fails is fail-stop: one clear line, exit code 75, agencies told to come back; the next start draws again. */
class DrawFailureProcessTest {
    @TempDir
    Path dir;


    @Test
    void aDrawThatCannotWriteItsWinnersStopsTheCentralWithOneLineAndARestartDrawsOnceTheCauseIsGone() throws Exception {
        Files.write(dir.resolve("config.ini"), List.of("[DEFAULT]", "SERVER_PORT = 0", "SERVER_IP = 127.0.0.1",
                "SERVER_LISTEN_BACKLOG = 16", "LOGGING_LEVEL = INFO"), StandardCharsets.UTF_8);
        Path store = dir.resolve("store");
        Path blocker = Files.createDirectories(store.resolve(WinnersFile.NAME)); // the draw cannot write its winners there
        Map<String, String> env = Map.of("AGENCIES", "1", "AGENCY_KEYS", RunningCentral.keysFor(1), "SERVER_STORE_DIR", store.toString());
        List<Bet> bets = TestBets.of(1, 500, 7);

        RunningProgram central = RunningProgram.start(CentralMain.class, dir, env);
        InetSocketAddress address = central.lotteryAddress();
        try (Peer agency = new Peer(address)) {
            agency.sendAll(1, TestBets.batches(bets, 100)).send(new WinnersQuery());
            assertEquals(ErrorCode.SHUTTING_DOWN, agency.receive(Failure.class).error().code(), "told to come back later, not left waiting");
        }
        assertEquals(Stop.DRAW_FAILED, central.exit(), String.join("\n", central.output()));
        List<String> errors = central.output().stream().filter(l -> l.contains(" ERROR ")).toList();
        assertEquals(1, errors.size(), String.join("\n", central.output()));
        assertTrue(errors.get(0).contains("action: sorteo | result: fail | error: ") && errors.get(0).contains(WinnersFile.NAME), errors.get(0));
        assertFalse(central.actions().contains("action: sorteo | result: success"));
        assertFalse(central.output().stream().anyMatch(l -> l.contains("winners_query | result: success")), "nobody was answered");
        assertThrows(IOException.class, () -> new Socket(address.getAddress(), address.getPort()).close(), "the port is free");
        central.assertFollowsTheLogContract();

        Files.delete(blocker);
        RunningProgram restarted = RunningProgram.start(CentralMain.class, dir, env);
        try (Peer agency = new Peer(restarted.lotteryAddress())) {
            assertTrue(agency.hello(1).done(), "every bet and the agency's ALL_SENT were kept");
            assertEquals(TestBets.winnersOf(bets), agency.send(new AllSent(bets.size())).winners());
        }
        restarted.sigterm();
        assertEquals(0, restarted.exit());
    }
    /**
     * A disk that fails to give back stored rows (EIO) while the draw reads them: the central
     * stops with one sorteo line and exit code 74, and records it, so that the restart a
     * supervisor makes ({@code restart: on-failure}) refuses at once, without reading the rows,
     * with one store_recovery line and the repair command: never a loop of restarts that each
     * read the store and fail again. Once the disk gives the rows back, the repair verifies them
     * all, keeps them, and the central draws.
     */
    @Test
    void aDiskThatFailsToGiveBackStoredRowsInTheDrawIsRecordedAndEveryStartRefusesUntilTheRepair() throws Exception {
        Files.write(dir.resolve("config.ini"), List.of("[DEFAULT]", "SERVER_PORT = 0", "SERVER_IP = 127.0.0.1",
                "SERVER_LISTEN_BACKLOG = 16", "LOGGING_LEVEL = INFO"), StandardCharsets.UTF_8);
        Path store = dir.resolve("store");
        Map<String, String> env = Map.of("AGENCIES", "1", "AGENCY_KEYS", RunningCentral.keysFor(1), "SERVER_STORE_DIR", store.toString());
        List<Bet> bets = TestBets.of(1, 500, 7);
        Map<String, String> faulty = new java.util.HashMap<>(env);
        faulty.put("FAULT", "draw-read-error");

        // The rows are stored by an earlier run: a draw reads back only what was on disk at its start.
        RunningProgram earlier = RunningProgram.start(CentralMain.class, dir, env);
        try (Peer agency = new Peer(earlier.lotteryAddress())) {
            agency.hello(1);
            for (BetBatch batch : TestBets.batches(bets, 100)) {
                agency.send(batch);
                assertEquals(new BatchAccepted(batch.firstOffset(), batch.bets().size(), batch.endOffset()), agency.receive());
            }
        }
        earlier.sigterm();
        assertEquals(0, earlier.exit());

        RunningProgram central = RunningProgram.start(FaultyCentralMain.class, dir, faulty);
        try (Peer agency = new Peer(central.lotteryAddress())) {
            assertEquals(bets.size(), agency.hello(1).stored());
            agency.send(new AllSent(bets.size()), new WinnersQuery());
            assertTrue(agency.closedByCentral(), "nobody is answered");
        }
        assertEquals(Stop.STORE_FAILED, central.exit(), String.join("\n", central.output()));
        List<String> errors = central.output().stream().filter(l -> l.contains(" ERROR ")).toList();
        assertTrue(errors.get(0).matches(".* ERROR +action: sorteo \\| result: fail \\| error: the committed rows could not be read back .*"
                + "Input/output error \\(injected\\).* \\| repair: java -cp .*"), String.join("\n", central.output()));
        assertFalse(central.actions().contains("action: sorteo | result: success"));
        central.assertFollowsTheLogContract();

        for (int start = 0; start < 2; start++) { // what a supervisor's restarts meet: a refusal, the rows not read
            RunningProgram restarted = RunningProgram.start(CentralMain.class, dir, env);
            assertEquals(1, restarted.exit(), String.join("\n", restarted.output()));
            List<String> refusal = restarted.output().stream().filter(l -> l.contains(" ERROR ")).toList();
            assertEquals(1, refusal.size(), String.join("\n", restarted.output()));
            assertTrue(refusal.get(0).matches(".* ERROR +action: store_recovery \\| result: fail \\| error: the committed rows could not be read back .*"
                    + " \\| repair: java -cp \\S+ " + Pattern.quote(Repair.class.getName() + " " + store.toAbsolutePath())), refusal.get(0));
            assertTrue(restarted.actions().stream().noneMatch(a -> a.startsWith("action: sorteo")), "no draw: " + restarted.actions());
            restarted.assertFollowsTheLogContract();
        }

        RunningProgram repair = RunningProgram.startWithArguments(Repair.class, dir, List.of(store.toString()));
        assertEquals(0, repair.exit(), String.join("\n", repair.output()));
        assertTrue(repair.output().stream().anyMatch(l -> l.startsWith("kept: 500 bets")), String.join("\n", repair.output()));
        RunningProgram repaired = RunningProgram.start(CentralMain.class, dir, env);
        try (Peer agency = new Peer(repaired.lotteryAddress())) {
            assertTrue(agency.hello(1).done(), "every bet and the agency's ALL_SENT were kept");
            assertEquals(TestBets.winnersOf(bets), agency.send(new AllSent(bets.size())).winners());
        }
        repaired.sigterm();
        assertEquals(0, repaired.exit());
    }
}
