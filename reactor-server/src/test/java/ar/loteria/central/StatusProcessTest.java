package ar.loteria.central;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The status view as an operator turns it on or leaves it off: the real program, its ports, its output, its exit code. */
class StatusProcessTest {
    private static final String LOTTERY_LINE = "action: accept_connections | result: in_progress | address: ";
    private static final String STATUS_LINE = "action: serve_status | result: in_progress | address: ";

    @TempDir
    Path dir;

    private RunningProgram central(Map<String, String> env, String... jvmOptions) throws IOException {
        Files.write(dir.resolve("config.ini"), List.of("[DEFAULT]", "SERVER_PORT = 0", "SERVER_IP = 127.0.0.1", "SERVER_LISTEN_BACKLOG = 5",
                "LOGGING_LEVEL = INFO"), StandardCharsets.UTF_8);
        Map<String, String> all = new HashMap<>(Map.of("AGENCIES", "1", "AGENCY_KEYS", RunningCentral.keysFor(1)));
        all.putAll(env);
        return RunningProgram.start(CentralMain.class, dir, all, jvmOptions);
    }

    private static int portIn(String line) {
        return Integer.parseInt(line.substring(line.lastIndexOf(':') + 1));
    }

    @Test
    void offByDefaultItBindsNoPortAndLoadsNoClassOfIt() throws Exception {
        assumeTrue(Files.isDirectory(Path.of("/proc/self/fd")), "needs Linux's /proc to list a process's sockets");
        RunningProgram central = central(Map.of(), "-Xlog:class+load=info:stdout");
        int lottery = portIn(central.await(l -> l.contains(LOTTERY_LINE)));
        try (Peer agency = new Peer(new InetSocketAddress(InetAddress.getLoopbackAddress(), lottery))) {
            agency.hello(1); // a session, the store and the draw at work: still nothing of the view
        }
        assertEquals(Set.of(lottery), listeningPorts(central.pid()), "the lottery's port alone");
        central.sigterm();
        assertEquals(0, central.exit());
        List<String> loaded = central.output().stream().filter(l -> l.contains("[class,load]")).toList();
        assertTrue(loaded.size() > 100, "the class loading is logged");
        assertEquals(List.of(), loaded.stream().filter(l -> l.contains("com.sun.net.httpserver") || l.contains("sun.net.httpserver")
                || l.contains("ar.loteria.central.status.") || l.contains("ar.loteria.central.FanOut")).toList());
    }

    @Test
    void onItListensOnLoopbackOnAPortOfItsOwnAndClosesAtSigterm() throws Exception {
        assumeTrue(Files.isDirectory(Path.of("/proc/self/fd")), "needs Linux's /proc to list a process's sockets");
        RunningProgram central = central(Map.of("SERVER_STATUS_PORT", "0"));
        String statusLine = central.await(l -> l.contains(STATUS_LINE));
        int lottery = portIn(central.await(l -> l.contains(LOTTERY_LINE)));
        int status = portIn(statusLine);
        assertTrue(statusLine.endsWith(STATUS_LINE + "127.0.0.1:" + status), statusLine);
        assertEquals(Set.of(lottery, status), listeningPorts(central.pid()));
        InetSocketAddress view = new InetSocketAddress(InetAddress.getLoopbackAddress(), status);
        assertEquals(200, StatusPage.await(view, "/health", p -> p.code() == 200).code());
        central.sigterm();
        assertEquals(0, central.exit());
        List<String> actions = central.actions();
        assertEquals(List.of("action: close_selector | result: success", "action: close_status_server | result: success",
                "action: shutdown | result: success"), actions.subList(actions.size() - 3, actions.size()));
        central.assertFollowsTheLogContract();
    }

    /**
     * With the shipped JVM options: a client that stalls in the middle of its request is cut off
     * (at its handshake deadline, by the reactor that serves the view), and the view answers the
     * next request.
     */
    @Test
    void aClientThatStallsInTheMiddleOfItsRequestIsCutOffAndTheNextIsAnswered() throws Exception {
        RunningProgram central = central(Map.of("SERVER_STATUS_PORT", "0"), "@" + Path.of("jvm.options").toAbsolutePath());
        InetSocketAddress view = new InetSocketAddress(InetAddress.getLoopbackAddress(), portIn(central.await(l -> l.contains(STATUS_LINE))));
        StatusPage.await(view, "/health", p -> p.code() == 200);
        try (Socket stalled = new Socket()) {
            stalled.connect(view, 10_000);
            stalled.setSoTimeout(20_000);
            stalled.getOutputStream().write("GET /status HTTP/1.0\r\nHost: status\r\n".getBytes(StandardCharsets.US_ASCII)); // no blank line: never whole
            try {
                assertEquals(-1, stalled.getInputStream().read(), "the stalled request gets no answer");
            } catch (SocketException reset) {
                // cut off by a reset: as good (a timeout of the read is not: it would fail the test)
            }
        }
        assertEquals(200, StatusPage.get(view, "/health").code(), "the next request is answered");
        central.sigterm();
        assertEquals(0, central.exit());
    }

    @Test
    void aBadStatusPortIsOneConfigErrorLineAndExitCodeOne() throws Exception {
        RunningProgram central = central(Map.of("SERVER_STATUS_PORT", "90000"));
        assertEquals(1, central.exit());
        assertEquals(List.of("action: config | result: fail | error: SERVER_STATUS_PORT must be between 0 and 65535: 90000"), central.actions());
        assertEquals(1, central.output().size(), String.join("\n", central.output()));
    }

    @Test
    void aTakenStatusPortIsOneStartErrorLineAndExitCodeOne() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            RunningProgram central = central(Map.of("SERVER_STATUS_PORT", Integer.toString(taken.getLocalPort())));
            assertEquals(1, central.exit());
            assertEquals(1, central.output().size(), String.join("\n", central.output()));
            String line = central.actions().get(0);
            assertTrue(line.startsWith("action: start | result: fail | error: the status view cannot listen on 127.0.0.1:" + taken.getLocalPort()), line);
            assertTrue(Files.notExists(dir.resolve("bets.csv")), "nothing was touched");
        }
    }

    /** The TCP ports a process listens on: its sockets' inodes, looked up in the kernel's tables. */
    private static Set<Integer> listeningPorts(long pid) throws IOException {
        Set<String> inodes = new HashSet<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            for (Path fd : fds.toList()) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[")) {
                        inodes.add(target.substring(8, target.length() - 1));
                    }
                } catch (IOException gone) {
                    // closed meanwhile
                }
            }
        }
        Set<Integer> ports = new HashSet<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            Path path = Path.of(table);
            if (!Files.exists(path)) {
                continue;
            }
            List<String> rows = Files.readAllLines(path); // read once: the table changes between two reads
            for (String row : rows.subList(1, rows.size())) {
                String[] f = row.strip().split("\\s+");
                if (f[3].equals("0A") && inodes.contains(f[9])) { // 0A: LISTEN
                    ports.add(Integer.parseInt(f[1].substring(f[1].indexOf(':') + 1), 16));
                }
            }
        }
        return ports;
    }
}
