package ar.loteria.central;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ar.loteria.central.store.Repair;
import ar.loteria.central.store.StoreFiles;
import ar.loteria.wire.AgencyMessage.AllSent;
import ar.loteria.wire.AgencyMessage.BetBatch;
import ar.loteria.wire.AgencyMessage.WinnersQuery;
import ar.loteria.wire.Bet;
import ar.loteria.wire.CentralMessage.BatchAccepted;
import ar.loteria.wire.CentralMessage.Welcome;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A damaged store, as an operator meets it: the central refuses to start (exit code 1, one ERROR
 * line saying what, where, and the command that repairs it), or stops when its draw finds changed
 * rows (exit code 74) and refuses every start after with the same words, never drawing again; the
 * repair command keeps copies and leaves a store that starts and answers right.
 */
class StoreDamageProcessTest {
    private static final Map<String, String> TWO_AGENCIES = Map.of("AGENCIES", "2", "AGENCY_KEYS", RunningCentral.keysFor(2));

    @TempDir
    Path dir;



    /** Sends the agency's bets from where WELCOME says, ten a batch, each acknowledged. */
    private static void sendFrom(Peer agency, Welcome welcome, List<Bet> bets) throws IOException {
        for (int first = (int) welcome.stored(); first < bets.size(); first += 10) {
            agency.send(new BetBatch(first, bets.subList(first, Math.min(bets.size(), first + 10))));
            assertTrue(agency.receive() instanceof BatchAccepted);
        }
    }

    /** The one ERROR line of a central that refused its store; the error it gives. */
    private String refusal(RunningProgram central) throws InterruptedException {
        assertEquals(1, central.exit());
        List<String> errors = central.output().stream().filter(l -> l.contains(" ERROR ")).toList();
        assertEquals(1, errors.size(), String.join("\n", central.output()));
        Matcher line = Pattern.compile(".* ERROR +action: store_recovery \\| result: fail \\| error: (.*) \\| repair: java -cp \\S+ "
                + Pattern.quote(Repair.class.getName() + " " + dir.toAbsolutePath()) + "$").matcher(errors.get(0));
        assertTrue(line.matches(), errors.get(0));
        central.assertFollowsTheLogContract();
        return line.group(1);
    }

    @Test
    void aChangedDigitIsRefusedAtStartAndTheRepairCommandLeavesAStoreThatAnswersRight() throws Exception {
        RunningProgram.writeCentralIni(dir);
        List<Bet> one = TestBets.of(1, 200, 7);
        List<Bet> two = TestBets.of(2, 200, 7);
        RunningProgram central = RunningProgram.start(CentralMain.class, dir, TWO_AGENCIES);
        InetSocketAddress address = central.lotteryAddress();
        try (Peer a = new Peer(address); Peer b = new Peer(address)) {
            sendFrom(a, a.hello(1), one);
            sendFrom(b, b.hello(2), two);
        }
        central.sigterm();
        assertEquals(0, central.exit());
        byte[] csv = Files.readAllBytes(dir.resolve("bets.csv"));
        int at = new String(csv, StandardCharsets.ISO_8859_1).indexOf(",7574\r\n", csv.length / 2) + 4;
        StoreFiles.flip(dir.resolve("bets.csv"), at, 0x01); // a winner's 7574 becomes 7575

        String error = refusal(RunningProgram.start(CentralMain.class, dir, TWO_AGENCIES));
        assertTrue(error.matches("bets.csv bytes (\\d+) to (\\d+) do not match their checksum in bets.commits \\(the record at byte \\d+\\): they changed on disk"), error);

        RunningProgram repair = RunningProgram.startWithArguments(Repair.class, dir, List.of(dir.toString()));
        assertEquals(0, repair.exit(), String.join("\n", repair.output()));
        String said = String.join("\n", repair.output());
        Matcher copy = Pattern.compile("copied: (bets\\.csv\\.damaged-\\d{8}-\\d{6}), bets\\.commits\\.damaged-\\d{8}-\\d{6}, bets\\.state\\.damaged-\\d{8}-\\d{6}").matcher(said);
        assertTrue(copy.find(), said);
        assertEquals(csv.length, Files.size(dir.resolve(copy.group(1))), "the damaged bets.csv is kept whole");
        assertTrue(said.contains("dropped: agency "), said);

        central = RunningProgram.start(CentralMain.class, dir, TWO_AGENCIES);
        address = central.lotteryAddress();
        try (Peer a = new Peer(address); Peer b = new Peer(address)) {
            Welcome welcomeA = a.hello(1);
            Welcome welcomeB = b.hello(2);
            assertTrue(welcomeA.stored() + welcomeB.stored() < 400, "the damaged group and what followed were dropped");
            sendFrom(a, welcomeA, one);
            sendFrom(b, welcomeB, two);
            a.send(new AllSent(200));
            b.send(new AllSent(200));
            assertEquals(TestBets.winnersOf(one), a.winners());
            assertEquals(TestBets.winnersOf(two), b.winners());
        }
        central.sigterm();
        assertEquals(0, central.exit());
        assertTrue(central.actions().stream().anyMatch(l -> l.startsWith("action: store_recovery | result: success")));
        byte[] repaired = Files.readAllBytes(dir.resolve("bets.csv"));
        assertArrayEquals(java.util.Arrays.copyOf(csv, at - 100), java.util.Arrays.copyOf(repaired, at - 100), "the verified prefix is kept as it was");
    }

    /**
     * A digit that changes on disk while the central runs, in rows an earlier run stored, after
     * the start checked them: only the draw reads them again. It stops the central with the
     * bytes that changed (exit code 74), answers nobody from them, and every start after refuses
     * with the same words: no loop of restarts that draw again. (Rows the same run stored it does
     * not read back: it noted their winners as it wrote them, and the next start checks them.)
     */
    @Test
    void aChangedDigitOnlyTheDrawSeesStopsTheCentralAndEveryStartAfterRefuses() throws Exception {
        RunningProgram.writeCentralIni(dir);
        Map<String, String> env = Map.of("AGENCIES", "1", "AGENCY_KEYS", RunningCentral.keysFor(1));
        List<Bet> bets = TestBets.of(1, 100, 7);
        RunningProgram earlier = RunningProgram.start(CentralMain.class, dir, env);
        try (Peer agency = new Peer(earlier.lotteryAddress())) {
            sendFrom(agency, agency.hello(1), bets);
        }
        earlier.sigterm();
        assertEquals(0, earlier.exit());
        RunningProgram central = RunningProgram.start(CentralMain.class, dir, env);
        try (Peer agency = new Peer(central.lotteryAddress())) {
            assertEquals(100, agency.hello(1).stored());
            byte[] csv = Files.readAllBytes(dir.resolve("bets.csv"));
            StoreFiles.flip(dir.resolve("bets.csv"), new String(csv, StandardCharsets.ISO_8859_1).indexOf(",7574\r\n") + 4, 0x01);
            agency.send(new AllSent(100), new WinnersQuery());
            assertTrue(agency.closedByCentral(), "no winners from changed rows");
        }
        assertEquals(Stop.STORE_FAILED, central.exit());
        List<String> errors = central.output().stream().filter(l -> l.contains(" ERROR ")).toList();
        Matcher line = Pattern.compile(".* ERROR +action: sorteo \\| result: fail \\| error: (bets.csv bytes 0 to \\d+ do not match their checksum .*) \\| repair: java -cp .*")
                .matcher(errors.get(0));
        assertTrue(line.matches(), String.join("\n", central.output()));
        assertTrue(errors.get(errors.size() - 1).endsWith("action: shutdown | result: fail | error: the store is damaged; the next start refuses until it is repaired"));
        assertTrue(central.actions().stream().noneMatch(a -> a.startsWith("action: sorteo | result: success")));
        central.assertFollowsTheLogContract();

        for (int start = 0; start < 2; start++) {
            assertEquals(line.group(1), refusal(RunningProgram.start(CentralMain.class, dir, env)), "the same words at every start");
        }
        try (Stream<Path> files = Files.list(dir)) {
            assertTrue(files.noneMatch(f -> f.getFileName().toString().contains("damaged-")), "nothing is repaired but by the command");
        }
    }
}
