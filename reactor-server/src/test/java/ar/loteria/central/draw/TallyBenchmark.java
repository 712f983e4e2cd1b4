package ar.loteria.central.draw;

import ar.loteria.central.store.BetStorage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/** The draw's pass over bets.csv, in memory: how long a million rows take, the disk aside. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class TallyBenchmark {
    private byte[] rows;
    private Path spills;

    @Setup
    public void setUp() throws IOException {
        spills = Files.createTempDirectory("tally-benchmark"); // a thousand winners stay in the spill's buffer: nothing is written there
        ByteArrayOutputStream csv = new ByteArrayOutputStream();
        for (int i = 0; i < 1_000_000; i++) {
            String row = (1 + i % 5) + "," + (i % 3 == 0 ? "\"Ana, María\"" : "Santiago Lionel") + ",Fornerón," + (30_000_000 + i)
                    + ",1990-05-17," + (i % 997 == 0 ? BetStorage.LOTTERY_WINNER_NUMBER : i % 7000) + "\r\n";
            csv.writeBytes(row.getBytes(StandardCharsets.UTF_8));
        }
        rows = csv.toByteArray();
    }

    @TearDown
    public void tearDown() throws IOException {
        Files.delete(spills);
    }

    @Benchmark
    public Tallied millionRows() throws Malformed {
        Tally tally = new Tally(spills, 0);
        for (int at = 0; at < rows.length; ) { // into its buffer a mebibyte at a time, as the draw reads its file
            java.nio.ByteBuffer room = tally.room(rows.length - at);
            int n = room.remaining();
            room.put(rows, at, n);
            tally.filled(n);
            at += n;
        }
        return tally.result();
    }
}
