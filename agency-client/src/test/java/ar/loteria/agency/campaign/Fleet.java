package ar.loteria.agency.campaign;

import ar.loteria.agency.AgencyMain;
import ar.loteria.central.CentralMain;
import ar.loteria.central.RunningCentral;
import ar.loteria.central.RunningProgram;
import ar.loteria.central.TestKeys;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A central and its agencies as real processes on loopback, on one fixed port so that a central
 * started again is found where the agencies left it; and their data, made up with known winners, or
 * the course's files.
 */
final class Fleet {
    final Path dir;
    final int agencies;
    final int betsEach;
    final int port;
    final Path store;
    /** Every document of each agency, in the order of its file, and its winners. */
    final Map<Integer, List<String>> documents = new HashMap<>();
    final Map<Integer, Integer> winners = new HashMap<>();
    /** How many bets all agencies send together. */
    final int totalBets;

    /** Made-up data: {@code betsEach} bets for each agency, some on 7574. */
    Fleet(Path dir, int agencies, int betsEach) throws IOException {
        this(dir, agencies, betsEach, null);
    }

    /**
     * The agencies' files from {@code data} (agency-N.csv, as the course gives them), else made
     * up: how the attack campaign runs on the course's dataset, {@code -Dcampaign.data=DIR}.
     */
    static Fleet of(Path dir, int agencies, int betsEach, String data) throws IOException {
        return new Fleet(dir, agencies, betsEach, data == null || data.isBlank() ? null : Path.of(data));
    }

    private Fleet(Path dir, int agencies, int betsEach, Path data) throws IOException {
        this.dir = dir;
        this.agencies = agencies;
        this.betsEach = data == null ? betsEach : -1; // the course's files differ in length
        this.store = dir.resolve("store");
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            this.port = probe.getLocalPort();
        }
        Files.createDirectories(dir.resolve("central"));
        Files.write(dir.resolve("central/config.ini"), List.of("[DEFAULT]", "SERVER_PORT = " + port, "SERVER_IP = 127.0.0.1",
                "SERVER_LISTEN_BACKLOG = 64", "LOGGING_LEVEL = INFO"), StandardCharsets.UTF_8);
        Random random = new Random(7574);
        int total = 0;
        for (int a = 1; a <= agencies; a++) {
            total += data == null ? makeUp(a, betsEach, random) : copy(data, a);
        }
        this.totalBets = total;
    }

    /** Writes agency {@code a}'s file of {@code bets} made-up bets, and notes its documents and winners; how many bets. */
    private int makeUp(int a, int bets, Random random) throws IOException {
        String[] names = {"Santiago Lionel", "María José", "Fornerón", "O'Brien", "\"Ana, la del medio\"", "Ñandú", "Zoë"};
        StringBuilder csv = new StringBuilder();
        List<String> docs = new ArrayList<>();
        int won = 0;
        for (int i = 0; i < bets; i++) {
            String document = Long.toString(a * 10_000_000L + i);
            boolean wins = random.nextInt(997) == 0;
            won += wins ? 1 : 0;
            csv.append(names[random.nextInt(names.length)]).append(',').append(names[random.nextInt(names.length)]).append(',')
                    .append(document).append(",1990-01-").append(String.format("%02d", 1 + i % 28)).append(',')
                    .append(wins ? 7574 : random.nextInt(7000)).append(i % 2 == 0 ? "\r\n" : "\n");
            docs.add(document);
        }
        Files.writeString(dir.resolve("agency-" + a + ".csv"), csv, StandardCharsets.UTF_8);
        documents.put(a, docs);
        winners.put(a, won);
        return bets;
    }

    /** Copies agency {@code a}'s file from {@code data} and counts its winners; how many bets. */
    private int copy(Path data, int a) throws IOException {
        Path file = Files.copy(data.resolve("agency-" + a + ".csv"), dir.resolve("agency-" + a + ".csv"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        List<String> rows = Files.readAllLines(file, StandardCharsets.UTF_8).stream().filter(l -> !l.isBlank()).toList();
        winners.put(a, (int) rows.stream().filter(l -> l.strip().endsWith(",7574")).count());
        return rows.size();
    }

    RunningProgram central() throws IOException {
        return central(List.of());
    }

    /** The central with these JVM options (the shipped ones, say: {@link #shippedCentralOptions}). */
    RunningProgram central(List<String> jvmOptions) throws IOException {
        return RunningProgram.start(CentralMain.class, dir.resolve("central"), Map.of("AGENCIES", Integer.toString(agencies),
                "AGENCY_KEYS", RunningCentral.keysFor(agencies), "SERVER_STORE_DIR", store.toString()), jvmOptions.toArray(String[]::new));
    }

    /** reactor-server/jvm.options, the flags the central ships with (the heap among them), without its comments. */
    static List<String> shippedCentralOptions() throws IOException {
        Path file = Path.of("..", "reactor-server", "jvm.options");
        return Files.readAllLines(file, StandardCharsets.UTF_8).stream().map(String::strip)
                .filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
    }

    /** Agency {@code a} with its shipped config.yaml: its batch size, window and retries. */
    RunningProgram agencyAsShipped(int a) throws IOException {
        Path home = dir.resolve("agency-" + a);
        Files.createDirectories(home);
        Files.copy(Path.of("config.yaml"), home.resolve("config.yaml"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        return RunningProgram.start(AgencyMain.class, home, Map.of("CLI_ID", Integer.toString(a), "CLI_KEY", TestKeys.of(a),
                "CLI_SERVER_ADDRESS", "127.0.0.1:" + port, "CLI_DATA_FILE", dir.resolve("agency-" + a + ".csv").toString(),
                "CLI_LOG_LEVEL", "INFO", "CLI_LOOP_AMOUNT", "1", "CLI_LOOP_PERIOD", "1s"));
    }

    /** Agency {@code a} with small batches and a short window, so that ingest lasts through the campaign. */
    RunningProgram agency(int a, int batchSize) throws IOException {
        Path home = dir.resolve("agency-" + a);
        Files.createDirectories(home);
        Map<String, String> env = new HashMap<>();
        env.put("CLI_ID", Integer.toString(a));
        env.put("CLI_KEY", TestKeys.of(a));
        env.put("CLI_SERVER_ADDRESS", "127.0.0.1:" + port);
        env.put("CLI_DATA_FILE", dir.resolve("agency-" + a + ".csv").toString());
        env.put("CLI_LOG_LEVEL", "INFO");
        env.put("CLI_LOOP_AMOUNT", "1");
        env.put("CLI_LOOP_PERIOD", "1s");
        env.put("CLI_BATCH_MAXAMOUNT", Integer.toString(batchSize));
        env.put("CLI_BATCH_WINDOW", "4");
        env.put("CLI_CONNECT_BACKOFF", "20ms");
        return RunningProgram.start(AgencyMain.class, home, env);
    }

    /** The documents in bets.csv, in order. */
    List<String> stored() throws IOException {
        List<String> out = new ArrayList<>();
        for (String row : Files.readAllLines(store.resolve("bets.csv"), StandardCharsets.UTF_8)) {
            String[] fields = row.split(",");
            out.add(fields[fields.length - 3]); // names may hold a quoted comma; the last three fields never do
        }
        return out;
    }

    long storedBytes() throws IOException {
        Path csv = store.resolve("bets.csv");
        return Files.exists(csv) ? Files.size(csv) : 0;
    }
}
