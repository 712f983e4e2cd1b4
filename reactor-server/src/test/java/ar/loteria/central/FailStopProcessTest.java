package ar.loteria.central;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ar.loteria.wire.AgencyMessage.AllSent;
import ar.loteria.wire.AgencyMessage.BetBatch;
import ar.loteria.wire.Bet;
import ar.loteria.wire.CentralMessage;
import ar.loteria.wire.CentralMessage.BatchAccepted;
import ar.loteria.wire.CentralMessage.Failure;
import ar.loteria.wire.CentralMessage.Welcome;
import ar.loteria.wire.ErrorCode;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Fail-stop, as a process: the central never keeps its port while it serves no one, and never acknowledges what is not on disk. */
class FailStopProcessTest {
    @TempDir
    Path dir;



    @Test
    void anErrorOnAWorkerIsOneErrorLineThenTheProcessEndsAndFreesItsPort() throws Exception {
        RunningProgram.writeCentralIni(dir);
        RunningProgram central = RunningProgram.start(FaultyCentralMain.class, dir,
                Map.of("AGENCIES", "1", "AGENCY_KEYS", RunningCentral.keysFor(1), "FAULT", "worker-error"));
        InetSocketAddress address = central.lotteryAddress();
        try (Peer agency = new Peer(address)) {
            agency.hello(1);
            agency.send(new BetBatch(0, TestBets.of(1, 5, 2)));
            assertThrows(IOException.class, agency::receive, "no acknowledgement, ever: the process is gone");
        }
        assertEquals(70, central.exit());
        List<String> errors = central.output().stream().filter(l -> l.contains(" ERROR ")).toList();
        assertEquals(1, errors.size(), String.join("\n", central.output()));
        assertTrue(errors.get(0).contains("action: fatal | result: fail | where: worker-1 | error: java.lang.OutOfMemoryError: Java heap space (injected)"),
                errors.get(0));
        assertThrows(IOException.class, () -> new Socket(address.getAddress(), address.getPort()).close(), "the port is free");
        assertEquals(0, Files.size(dir.resolve("bets.csv")), "nothing was stored");
    }

    /**
     * A heap that runs out for real, not an injected error: the central's own error path may then
     * fail, on any thread. Found with 200 agencies against a central with 8 MiB of heap: the main
     * thread died past the fail-stop and the idle workers kept the process alive, serving no one
     * and deaf to SIGTERM. Whatever its error path manages, the process ends and frees its port:
     * 70, or 1 when not even the halt could be called.
     */
    @Test
    void aHeapThatRunsOutForRealEndsTheProcessAndFreesItsPort() throws Exception {
        RunningProgram central = exhaustTheHeap("-Xmx16m");
        int code = central.exit();
        assertTrue(code == 70 || code == 1, "exit code " + code + "\n" + String.join("\n", central.output()));
    }

    /** With the JVM options the image and make run use, the JVM itself ends the process at the first OutOfMemoryError. */
    @Test
    void withTheShippedJvmOptionsAHeapThatRunsOutEndsTheProcessAtOnce() throws Exception {
        RunningProgram central = exhaustTheHeap("@" + Path.of("jvm.options").toAbsolutePath()); // as the image and make run read it
        assertEquals(3, central.exit());
        assertTrue(central.output().stream().anyMatch(l -> l.contains("Terminating due to java.lang.OutOfMemoryError")), String.join("\n", central.output()));
    }

    /** A central whose heap a batch fills, asked for more until it ends; it is gone, and its port free. */
    private RunningProgram exhaustTheHeap(String... jvmOptions) throws Exception {
        RunningProgram.writeCentralIni(dir);
        RunningProgram central = RunningProgram.start(FaultyCentralMain.class, dir,
                Map.of("AGENCIES", "1", "AGENCY_KEYS", RunningCentral.keysFor(1), "FAULT", "heap-exhausted"), jvmOptions);
        InetSocketAddress address = central.lotteryAddress();
        try (Peer agency = new Peer(address)) {
            agency.hello(1);
            agency.send(new BetBatch(0, TestBets.of(1, 5, 2))); // its work fills the heap
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (central.alive() && System.nanoTime() < deadline) { // each connection the central accepts needs memory
                try (Socket knock = new Socket()) {
                    knock.connect(address, 1_000);
                } catch (IOException refusedOrTimedOut) {
                    // the central is going, or its backlog is full
                }
            }
        }
        central.exit(Duration.ofSeconds(10));
        assertThrows(IOException.class, () -> new Socket(address.getAddress(), address.getPort()).close(), "the port is free");
        assertEquals(0, Files.size(dir.resolve("bets.csv")), "nothing was stored");
        return central;
    }

    /**
     * A real disk that fills up under an agency: the central acknowledges nothing it could not
     * force, tells the agency SHUTTING_DOWN, and exits 74 for a supervisor to restart it. Once
     * there is room, the restarted central recovers and the agency resumes where the disk held.
     */
    @Test
    void aFullDiskStopsTheCentralWithoutAcknowledgingWhatItCouldNotWriteAndARestartResumes() throws Exception {
        RunningProgram.writeCentralIni(dir);
        List<Bet> bets = TestBets.of(1, 20_000, 13);
        try (SmallDisk disk = SmallDisk.mount(dir.resolve("disk"), 256)) {
            Map<String, String> env = Map.of("AGENCIES", "1", "AGENCY_KEYS", RunningCentral.keysFor(1), "SERVER_STORE_DIR", disk.path().toString());
            RunningProgram central = RunningProgram.start(CentralMain.class, dir, env);
            Set<String> acknowledged = new HashSet<>();
            CentralMessage last;
            try (Peer agency = new Peer(central.lotteryAddress())) {
                agency.hello(1);
                int first = 0;
                while (true) {
                    agency.send(new BetBatch(first, bets.subList(first, first + 100)));
                    last = agency.receive();
                    if (!(last instanceof BatchAccepted)) {
                        break;
                    }
                    bets.subList(first, first + 100).forEach(b -> acknowledged.add(b.document()));
                    first += 100;
                    assertTrue(first < bets.size(), "the disk never filled");
                }
            }
            assertEquals(ErrorCode.SHUTTING_DOWN, assertInstanceOf(Failure.class, last).error().code());
            assertEquals(74, central.exit());
            assertTrue(central.actions().stream().anyMatch(a -> a.startsWith("action: store | result: fail | error:") && a.contains("No space left on device")),
                    String.join("\n", central.output()));
            String csv = Files.readString(disk.path().resolve("bets.csv"));
            List<String> stored = csv.substring(0, csv.lastIndexOf('\n') + 1).lines() // the disk may have filled inside a row, never acknowledged
                    .map(r -> r.split(",")[3]).toList();
            assertTrue(stored.containsAll(acknowledged), "every acknowledged bet is on the disk");

            disk.grow(64 * 1024);
            RunningProgram restarted = RunningProgram.start(CentralMain.class, dir, env);
            try (Peer agency = new Peer(restarted.lotteryAddress())) {
                Welcome welcome = agency.hello(1);
                assertTrue(welcome.stored() >= acknowledged.size(), "resumes at or past what was acknowledged: " + welcome.stored());
                for (int first = (int) welcome.stored(); first < bets.size(); first += 150) {
                    agency.send(new BetBatch(first, bets.subList(first, Math.min(bets.size(), first + 150))));
                    assertInstanceOf(BatchAccepted.class, agency.receive());
                }
                agency.send(new AllSent(bets.size()));
                assertEquals(TestBets.winnersOf(bets), agency.winners());
            }
            restarted.sigterm();
            assertEquals(0, restarted.exit());
            List<String> documents = new ArrayList<>();
            Files.readAllLines(disk.path().resolve("bets.csv")).forEach(r -> documents.add(r.split(",")[3]));
            assertEquals(bets.stream().map(Bet::document).toList(), documents, "every bet exactly once, in order");
        }
    }
}
