package ar.loteria.agency.bench;

import ar.loteria.wire.AgencyMessage.AllSent;
import ar.loteria.wire.AgencyMessage.Hello;
import ar.loteria.wire.AgencyMessage.Proof;
import ar.loteria.wire.AgencyMessage.WinnersQuery;
import ar.loteria.wire.BatchWriter;
import ar.loteria.wire.CentralMessage.BatchAccepted;
import ar.loteria.wire.CentralMessage.Challenge;
import ar.loteria.wire.CentralMessage.Welcome;
import ar.loteria.wire.CentralMessage.Winners;
import ar.loteria.wire.Cut;
import ar.loteria.wire.Decoded;
import ar.loteria.wire.Frame;
import ar.loteria.wire.FrameDecoder;
import ar.loteria.wire.FrameEncoder;
import ar.loteria.wire.Message;
import ar.loteria.wire.Proofs;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * A load generator: K agencies from one JVM, over non-blocking sockets on one thread, each with
 * up to W batches in flight, of synthetic valid bets. It measures what the central does, not
 * what an agency's file reading does: the batches are made once per agency and sent again with
 * their offsets patched. Prints bets/s, batches/s, the batch latency (send to acknowledgement)
 * and the errors, as one line of {@code key=value} pairs and a readable summary.
 *
 * <pre>
 * java -cp agency-client-tools.jar ar.loteria.agency.bench.LoadGenerator --address 127.0.0.1:12345
 *     --agencies 100 [--first 1] [--bets 100000 | --seconds 10] [--batch 100] [--window 16]
 *     [--key-format bench-key-%d-0123456789] [--done] [--rate BETS_PER_S] [--warmup SECONDS] [--odds 10]
 * </pre>
 *
 * {@code --key-format}: each agency's key is this with its number put in ({@code String.format}).
 * {@code --done}: when every bet is acknowledged, each agency says ALL_SENT and waits for its
 * winners; the time from the last ALL_SENT to the last answer is printed as {@code draw_ms}.
 * {@code --rate}: offer this many bets a second in all, spread over the agencies (open loop, so
 * that the latency is the central's at that load, not the queue a saturating client builds);
 * without it each agency sends as fast as its window lets it. {@code --warmup}: leave the first
 * seconds out of the figures, while the JIT compiles. With {@code --rate} a batch's latency runs
 * from when the schedule had it due, so the wait for a full window is counted too.
 * {@code --odds}: one bet in this many is on 7574 (default 10, so that a draw has plenty to
 * answer; 10000 is the lottery's own odds).
 */
public final class LoadGenerator {
    private static final int TEMPLATES = 8;

    private record Options(InetSocketAddress address, int agencies, int first, long bets, double seconds, int batch, int window,
                           String keyFormat, boolean done, double rate, double warmup, int odds) {
    }

    private enum Stage {
        CONNECTING,
        AUTHENTICATING,
        SENDING,
        WAITING_FOR_WINNERS,
        FINISHED
    }

    /** One simulated agency. */
    private final class Agency {
        final int id;
        final SocketChannel channel;
        final ByteBuffer in = ByteBuffer.allocate(64 * 1024).flip();
        final ArrayDeque<ByteBuffer> out = new ArrayDeque<>();
        final ArrayDeque<long[]> inFlight = new ArrayDeque<>(); // {first, count, sentNanos}
        final List<ByteBuffer> templates;
        Stage stage = Stage.CONNECTING;
        long next;
        long acknowledged;
        int template;
        long sentBatches;
        long startedNanos;

        Agency(int id, SocketChannel channel, List<ByteBuffer> templates) {
            this.id = id;
            this.channel = channel;
            this.templates = templates;
        }
    }

    private final Options options;
    private final Selector selector;
    private final FrameDecoder decoder = new FrameDecoder();
    private long[] latencies = new long[1 << 16];
    private int latencyCount;
    private long betsAcknowledged;
    private long batchesAcknowledged;
    private long errors;
    private String firstError;
    private int finished;
    private long lastAllSentNanos;
    private long lastWinnersNanos;
    private boolean stopSending;
    /** Acknowledgements before this are the warm-up's, left out of the figures. */
    private long measuredFrom;

    private LoadGenerator(Options options) throws IOException {
        this.options = options;
        this.selector = Selector.open();
    }

    public static void main(String[] args) throws IOException {
        Options options;
        try {
            options = parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("LoadGenerator: " + e.getMessage());
            System.exit(2);
            return;
        }
        new LoadGenerator(options).run(System.out);
    }

    private void run(PrintStream report) throws IOException {
        // Every agency's frames first, then every connection: the central gives a connection a few
        // seconds to say HELLO, and making 10,000 agencies' frames takes longer than that.
        List<List<ByteBuffer>> frames = new ArrayList<>();
        for (int i = 0; i < options.agencies(); i++) {
            frames.add(templates(options.first() + i));
        }
        long started = System.nanoTime(); // the connections are part of the run: they say HELLO as they open
        measuredFrom = started + (long) (options.warmup() * 1e9);
        List<Agency> agencies = new ArrayList<>();
        for (int i = 0; i < options.agencies(); i++) {
            SocketChannel channel = SocketChannel.open();
            channel.configureBlocking(false);
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            channel.connect(options.address());
            Agency agency = new Agency(options.first() + i, channel, frames.get(i));
            channel.register(selector, SelectionKey.OP_CONNECT, agency);
            agencies.add(agency);
            if (i % 64 == 63) { // those connected say HELLO while the rest connect
                selector.selectNow();
                serveSelected();
            }
        }
        long deadline = options.seconds() > 0 ? started + (long) ((options.seconds() + options.warmup()) * 1e9) : Long.MAX_VALUE;
        long sendingEnded = 0;
        while (finished < agencies.size()) {
            long now = System.nanoTime();
            if (!stopSending && now - deadline > 0) {
                stopSending = true;
            }
            if (options.rate() > 0) {
                for (Agency a : agencies) {
                    if (a.stage == Stage.SENDING) {
                        fill(a, now);
                        write(a);
                        if (a.channel.keyFor(selector).isValid()) {
                            a.channel.keyFor(selector).interestOps(SelectionKey.OP_READ | (a.out.isEmpty() ? 0 : SelectionKey.OP_WRITE));
                        }
                    }
                }
            }
            selector.select(options.rate() > 0 ? 1 : 100);
            serveSelected();
            if (sendingEnded == 0 && agencies.stream().allMatch(a -> a.stage.ordinal() > Stage.SENDING.ordinal())) {
                sendingEnded = System.nanoTime();
            }
        }
        long ended = sendingEnded == 0 ? System.nanoTime() : sendingEnded;
        print(report, Math.min(measuredFrom, ended), ended);
        selector.close();
        for (Agency a : agencies) {
            a.channel.close();
        }
    }

    private void serveSelected() throws IOException {
        for (Iterator<SelectionKey> it = selector.selectedKeys().iterator(); it.hasNext(); ) {
            SelectionKey key = it.next();
            it.remove();
            Agency agency = (Agency) key.attachment();
            try {
                ready(key, agency);
            } catch (IOException | RuntimeException e) {
                fail(agency, e.toString());
                key.cancel();
                agency.channel.close();
            }
        }
    }

    private void ready(SelectionKey key, Agency agency) throws IOException {
        if (key.isConnectable()) {
            agency.channel.finishConnect();
            queue(agency, FrameEncoder.encode(new Hello(agency.id)));
        }
        if (key.isReadable()) {
            int n;
            agency.in.compact();
            try {
                n = agency.channel.read(agency.in);
            } finally {
                agency.in.flip();
            }
            if (n < 0) {
                throw new IOException("the central closed the connection");
            }
            for (Cut cut; (cut = FrameDecoder.cut(agency.in)) != null; ) {
                if (cut instanceof Decoded.Malformed m) {
                    throw new IOException("malformed frame: " + m.error());
                }
                received(agency, (Cut.Whole) cut);
            }
        }
        if (key.isValid() && (key.isWritable() || key.isConnectable() || key.isReadable())) {
            write(agency);
        }
        if (key.isValid()) {
            key.interestOps(agency.stage == Stage.FINISHED ? 0 : SelectionKey.OP_READ | (agency.out.isEmpty() ? 0 : SelectionKey.OP_WRITE));
        }
    }

    private void received(Agency agency, Cut.Whole frame) throws IOException {
        long now = System.nanoTime();
        Decoded decoded = frame.type() == ar.loteria.wire.MessageType.BATCH_ACCEPTED ? acceptedFast(frame) : decoder.decode(frame);
        if (!(decoded instanceof Decoded.Valid valid)) {
            throw new IOException("bad reply " + decoded);
        }
        Message m = valid.message();
        if (m instanceof Challenge challenge) {
            byte[] key = String.format(options.keyFormat(), agency.id).getBytes(StandardCharsets.UTF_8);
            queue(agency, FrameEncoder.encode(new Proof(Proofs.proof(key, agency.id, challenge.nonce()))));
            agency.stage = Stage.AUTHENTICATING;
        } else if (m instanceof Welcome welcome) {
            agency.next = welcome.stored();
            agency.acknowledged = welcome.stored();
            agency.stage = Stage.SENDING;
            fill(agency, now);
        } else if (m instanceof BatchAccepted accepted) {
            long[] head = agency.inFlight.poll();
            if (head == null || head[0] != accepted.firstOffset()) {
                throw new IOException("an acknowledgement out of order: " + accepted);
            }
            if (head[2] - measuredFrom >= 0) {
                latency(now - head[2]);
                betsAcknowledged += head[1];
                batchesAcknowledged++;
            }
            agency.acknowledged = accepted.stored();
            fill(agency, now);
        } else if (m instanceof Winners winners) {
            if (winners.last()) {
                agency.stage = Stage.FINISHED;
                finished++;
                lastWinnersNanos = now;
            }
        } else {
            throw new IOException("unexpected " + m);
        }
    }

    /** BATCH_ACCEPTED is the hot reply: its three fields read in place. */
    private static Decoded acceptedFast(Cut.Whole frame) {
        ByteBuffer p = frame.payload();
        if (p.remaining() != 18) {
            return new Decoded.Malformed(null);
        }
        return new Decoded.Valid(new BatchAccepted(p.getLong(0), p.getShort(8) & 0xFFFF, p.getLong(10)));
    }

    /** Keeps the window full while there are bets to send; then says all sent. */
    private void fill(Agency agency, long now) {
        while (!stopSending && agency.inFlight.size() < options.window() && (options.bets() <= 0 || agency.next < options.bets())
                && paced(agency, now)) {
            ByteBuffer template = agency.templates.get(agency.template++ % TEMPLATES);
            int count = template.getShort(Frame.HEADER_BYTES + 8) & 0xFFFF;
            if (options.bets() > 0 && agency.next + count > options.bets()) {
                break; // the last partial batch is not sent: every batch is the same size
            }
            ByteBuffer frame = ByteBuffer.allocate(template.remaining()).put(template.duplicate()).flip();
            frame.putLong(Frame.HEADER_BYTES, agency.next);
            agency.inFlight.add(new long[] {agency.next, count, due(agency, now)});
            agency.next += count;
            agency.sentBatches++;
            queue(agency, frame);
        }
        boolean moreToSend = !stopSending && (options.bets() <= 0 || agency.next + options.batch() <= options.bets());
        if (agency.inFlight.isEmpty() && !moreToSend && agency.stage == Stage.SENDING) {
            if (options.done()) {
                queue(agency, FrameEncoder.encode(new AllSent(agency.acknowledged)));
                queue(agency, FrameEncoder.encode(new WinnersQuery()));
                agency.stage = Stage.WAITING_FOR_WINNERS;
                lastAllSentNanos = now;
            } else {
                agency.stage = Stage.FINISHED;
                finished++;
            }
        }
    }

    /** With --rate: whether this agency's share of the offered load allows one more batch by now. */
    private boolean paced(Agency agency, long now) {
        if (options.rate() <= 0) {
            return true;
        }
        if (agency.startedNanos == 0) {
            agency.startedNanos = now;
        }
        double perAgencyBatchesPerNano = options.rate() / options.agencies() / options.batch() / 1e9;
        return agency.sentBatches < (now - agency.startedNanos) * perAgencyBatchesPerNano + 1;
    }

    /**
     * When the batch about to be sent was due: with --rate, its place in the agency's schedule, so
     * that a batch held back by a full window counts the wait in its latency (no coordinated
     * omission); without, now.
     */
    private long due(Agency agency, long now) {
        if (options.rate() <= 0) {
            return now;
        }
        double perAgencyBatchesPerNano = options.rate() / options.agencies() / options.batch() / 1e9;
        return Math.min(now, agency.startedNanos + (long) (agency.sentBatches / perAgencyBatchesPerNano));
    }

    private void queue(Agency agency, ByteBuffer frame) {
        agency.out.add(frame);
    }

    private void write(Agency agency) throws IOException {
        while (!agency.out.isEmpty()) {
            ByteBuffer[] pending = agency.out.toArray(new ByteBuffer[0]);
            agency.channel.write(pending);
            while (!agency.out.isEmpty() && !agency.out.peek().hasRemaining()) {
                agency.out.poll();
            }
            if (!agency.out.isEmpty()) {
                return; // the socket is full: OP_WRITE
            }
        }
    }

    private void latency(long nanos) {
        if (latencyCount == latencies.length) {
            latencies = Arrays.copyOf(latencies, latencies.length * 2);
        }
        latencies[latencyCount++] = nanos;
    }

    private void fail(Agency agency, String error) {
        errors++;
        if (firstError == null) {
            firstError = "agency " + agency.id + ": " + error;
        }
        if (agency.stage != Stage.FINISHED) {
            agency.stage = Stage.FINISHED;
            finished++;
        }
    }

    /** Bets of agency {@code id}: a few ready frames whose offsets are patched at each send. */
    private List<ByteBuffer> templates(int id) {
        Random random = new Random(id);
        String[] first = {"Santiago Lionel", "María José", "Ana", "Agustín", "Lucía"};
        String[] last = {"Lorca", "Fornerón", "Álvarez", "Paz", "O'Brien"};
        BatchWriter writer = new BatchWriter();
        List<ByteBuffer> out = new ArrayList<>();
        for (int t = 0; t < TEMPLATES; t++) {
            writer.begin(0);
            for (int i = 0; i < options.batch(); i++) {
                byte[] a = first[random.nextInt(first.length)].getBytes(StandardCharsets.UTF_8);
                byte[] b = last[random.nextInt(last.length)].getBytes(StandardCharsets.UTF_8);
                byte[] d = String.format("%08d", random.nextInt(100_000_000)).getBytes(StandardCharsets.US_ASCII);
                byte[] all = new byte[a.length + b.length + d.length + 10];
                System.arraycopy(a, 0, all, 0, a.length);
                System.arraycopy(b, 0, all, a.length, b.length);
                System.arraycopy(d, 0, all, a.length + b.length, d.length);
                System.arraycopy("1990-05-17".getBytes(StandardCharsets.US_ASCII), 0, all, a.length + b.length + d.length, 10);
                if (!writer.fits(BatchWriter.betBytes(a.length, b.length, d.length))) {
                    throw new IllegalArgumentException("--batch " + options.batch() + " does not fit in one frame");
                }
                writer.add(all, 0, a.length, a.length, b.length, a.length + b.length, d.length, a.length + b.length + d.length,
                        random.nextInt(options.odds()) == 0 ? 7574 : random.nextInt(10_000));
            }
            ByteBuffer frame = writer.finish();
            out.add(ByteBuffer.allocate(frame.remaining()).put(frame).flip());
        }
        return out;
    }

    private void print(PrintStream report, long started, long ended) {
        double seconds = Math.max(ended - started, 1) / 1e9; // a warm-up as long as the run leaves nothing to divide
        long[] sorted = Arrays.copyOf(latencies, latencyCount);
        Arrays.sort(sorted);
        double p50 = percentile(sorted, 0.50);
        double p99 = percentile(sorted, 0.99);
        double max = sorted.length == 0 ? 0 : sorted[sorted.length - 1] / 1e6;
        long drawMillis = options.done() && lastWinnersNanos > 0 ? (lastWinnersNanos - lastAllSentNanos) / 1_000_000 : -1;
        report.printf(Locale.ROOT, "load agencies=%d batch=%d window=%d seconds=%.3f bets=%d batches=%d bets_per_s=%.0f batches_per_s=%.0f "
                        + "p50_ms=%.2f p99_ms=%.2f max_ms=%.2f errors=%d draw_ms=%d%n",
                options.agencies(), options.batch(), options.window(), seconds, betsAcknowledged, batchesAcknowledged,
                betsAcknowledged / seconds, batchesAcknowledged / seconds, p50, p99, max, errors, drawMillis);
        if (firstError != null) {
            report.println("first error: " + firstError);
        }
    }

    private static double percentile(long[] sorted, double q) {
        return sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)] / 1e6;
    }

    private static Options parse(String[] args) {
        String address = null;
        int agencies = 1;
        int first = 1;
        long bets = 0;
        double seconds = 0;
        int batch = 100;
        int window = 16;
        String keyFormat = "bench-key-%d-0123456789";
        boolean done = false;
        double rate = 0;
        double warmup = 0;
        int odds = 10;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--done")) {
                done = true;
                continue;
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(a + " needs a value");
            }
            String v = args[++i];
            switch (a) {
                case "--address" -> address = v;
                case "--agencies" -> agencies = Integer.parseInt(v);
                case "--first" -> first = Integer.parseInt(v);
                case "--bets" -> bets = Long.parseLong(v);
                case "--seconds" -> seconds = Double.parseDouble(v);
                case "--batch" -> batch = Integer.parseInt(v);
                case "--window" -> window = Integer.parseInt(v);
                case "--key-format" -> keyFormat = v;
                case "--rate" -> rate = Double.parseDouble(v);
                case "--warmup" -> warmup = Double.parseDouble(v);
                case "--odds" -> odds = Integer.parseInt(v);
                default -> throw new IllegalArgumentException("unknown option " + a);
            }
        }
        if (address == null || address.lastIndexOf(':') < 0) {
            throw new IllegalArgumentException("--address host:port is required");
        }
        if (bets <= 0 && seconds <= 0) {
            throw new IllegalArgumentException("give --bets (per agency) or --seconds");
        }
        if (odds < 1) {
            throw new IllegalArgumentException("--odds must be 1 or more");
        }
        int colon = address.lastIndexOf(':');
        return new Options(new InetSocketAddress(address.substring(0, colon), Integer.parseInt(address.substring(colon + 1))),
                agencies, first, bets, seconds, batch, window, keyFormat, done, rate, warmup, odds);
    }
}
