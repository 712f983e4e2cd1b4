package ar.loteria.central.store;

import ar.loteria.wire.AgencyMessage.BetBatch;
import ar.loteria.wire.BatchReader;
import ar.loteria.wire.Bet;
import ar.loteria.wire.Decoded;
import ar.loteria.wire.FrameDecoder;
import ar.loteria.wire.FrameEncoder;
import java.nio.ByteBuffer;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
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
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * What one batch of 100 typical bets costs on the central's hot path, per stage: the decoder that
 * makes objects (the agency's side, and the tests'), the rules alone on the frame's bytes, and
 * the workers' whole part (rules and CSV rows). Run with tools/jmh.sh; the figures are per batch.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class HotPathBenchmark {
    private byte[] payload;
    /** Keeps nothing: the journal gives a batch's arrays back, and no journal runs here. */
    private final ArrayPool arrays = new ArrayPool(0);
    private ByteBuffer frame;
    private final LocalDate today = LocalDate.of(2026, 6, 1);
    private final FrameDecoder decoder = new FrameDecoder();

    @Setup
    public void setUp() {
        List<Bet> bets = new ArrayList<>();
        String[] first = {"Santiago Lionel", "María José", "Ana", "Agustín"};
        String[] last = {"Lorca", "Fornerón", "Álvarez", "O'Brien"};
        for (int i = 0; i < 100; i++) {
            bets.add(new Bet(first[i % 4], last[i % 4], Integer.toString(30_000_000 + i), "1990-05-17", (i * 79) % 10_000));
        }
        frame = FrameEncoder.encode(new BetBatch(1_000, bets));
        payload = StoreTest.payloadBytes(new BetBatch(1_000, bets));
    }

    @Benchmark
    public Decoded decodeToObjects() {
        return decoder.decode(frame.duplicate());
    }

    @Benchmark
    public void checkRulesOnBytes(Blackhole hole) {
        hole.consume(BatchReader.read(payload, 0, payload.length, today, (b, f, fl, l, ll, d, dl, bd, n) -> hole.consume(n)));
    }

    @Benchmark
    public ByteBuffer checkAndEncodeRows() {
        return BatchRows.of(7, payload, payload.length, today, 7574, arrays).rowsFrom(0); // the number the draw watches
    }
}
