package ar.loteria.agency.campaign;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Many hostile connections on one thread, from many loopback addresses (the whole 127/8 block is
 * local), each doing one thing: nothing, a few bytes then one more now and then, or lines it
 * never reads the echo of. A connection the central closes is opened again, at most {@link
 * #MAX_OPENS_PER_SECOND} a second over the swarm: a flood, but one that leaves the machine's two
 * cores to the agencies being measured.
 */
final class Swarm implements AutoCloseable {
    private static final int MAX_OPENS_PER_SECOND = 2_000;

    /** What each connection does. */
    record Behaviour(byte[] opening, long trickleMillis, byte[] flood, int receiveBuffer) {
        static Behaviour silent() {
            return new Behaviour(new byte[0], 0, null, 0);
        }

        static Behaviour slowloris(byte[] opening, long trickleMillis) {
            return new Behaviour(opening, trickleMillis, null, 0);
        }

        /** Writes {@code line} again and again, never reading, its receive buffer this small. */
        static Behaviour writer(byte[] line, int receiveBuffer) {
            return new Behaviour(new byte[0], 0, line, receiveBuffer);
        }
    }

    private final InetSocketAddress central;
    private final List<InetAddress> from;
    private final int count;
    private final Behaviour behaviour;
    private final Selector selector;
    private final Thread thread;
    private final ArrayDeque<InetAddress> toOpen = new ArrayDeque<>();
    /** A set, not a list: with ten thousand open, a list's removal scanned them all for each close. */
    private final Set<SocketChannel> open = new LinkedHashSet<>();
    private final AtomicLong opened = new AtomicLong();
    private final AtomicLong connected = new AtomicLong();
    private final AtomicLong closedByCentral = new AtomicLong();
    private volatile boolean running = true;
    private final ByteBuffer sink = ByteBuffer.allocate(4096);
    /** A writer's lines, as many whole ones as fit in 8 KiB; read-only, written from a duplicate. */
    private final ByteBuffer floodLines;

    /** {@code count} connections to {@code central}, spread evenly over {@code from}. */
    Swarm(InetSocketAddress central, List<InetAddress> from, int count, Behaviour behaviour) throws IOException {
        this.central = central;
        this.from = from;
        this.count = count;
        this.behaviour = behaviour;
        this.selector = Selector.open();
        this.floodLines = behaviour.flood() == null ? null : repeated(behaviour.flood(), 8192);
        for (int i = 0; i < count; i++) {
            toOpen.add(from.get(i % from.size()));
        }
        thread = new Thread(this::loop, "swarm");
        thread.setDaemon(true);
        thread.start();
    }

    private static ByteBuffer repeated(byte[] line, int most) {
        ByteBuffer b = ByteBuffer.allocate(Math.max(1, most / line.length) * line.length);
        while (b.hasRemaining()) {
            b.put(line);
        }
        return b.flip().asReadOnlyBuffer();
    }

    /** 127.0.{@code third}.{@code first} to 127.0.{@code third}.{@code last}. */
    static List<InetAddress> loopback(int third, int first, int last) throws IOException {
        List<InetAddress> out = new ArrayList<>();
        for (int k = first; k <= last; k++) {
            out.add(InetAddress.getByAddress(new byte[] {127, 0, (byte) third, (byte) k}));
        }
        return out;
    }

    /** Connections established now. */
    long connected() {
        return connected.get();
    }

    long closedByCentral() {
        return closedByCentral.get();
    }

    long opened() {
        return opened.get();
    }

    /** Waits up to {@code seconds} until {@code n} connections are established at once. */
    void awaitConnected(long n, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (connected.get() < n && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
    }

    private void loop() {
        long lastTrickle = System.nanoTime();
        long second = System.nanoTime();
        int opensThisSecond = 0;
        try {
            while (running) {
                long now = System.nanoTime();
                if (now - second > TimeUnit.SECONDS.toNanos(1)) {
                    second = now;
                    opensThisSecond = 0;
                }
                while (!toOpen.isEmpty() && opensThisSecond < MAX_OPENS_PER_SECOND) {
                    openOne(toOpen.poll());
                    opensThisSecond++;
                }
                selector.select(toOpen.isEmpty() ? 100 : 10);
                for (SelectionKey key : selector.selectedKeys()) {
                    handle(key);
                }
                selector.selectedKeys().clear();
                if (behaviour.trickleMillis() > 0 && System.nanoTime() - lastTrickle > TimeUnit.MILLISECONDS.toNanos(behaviour.trickleMillis())) {
                    lastTrickle = System.nanoTime();
                    ByteBuffer x = ByteBuffer.wrap(new byte[] {'x'});
                    for (SocketChannel c : new ArrayList<>(open)) {
                        try {
                            c.write(x.clear());
                        } catch (IOException e) {
                            lost(c);
                        }
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            if (running) {
                e.printStackTrace();
            }
        }
    }

    private void openOne(InetAddress address) {
        SocketChannel c = null;
        try {
            c = SocketChannel.open();
            c.configureBlocking(false);
            if (behaviour.receiveBuffer() > 0) {
                c.setOption(StandardSocketOptions.SO_RCVBUF, behaviour.receiveBuffer());
            }
            c.bind(new InetSocketAddress(address, 0));
            opened.incrementAndGet();
            if (c.connect(central)) {
                established(c, c.register(selector, 0, address));
            } else {
                c.register(selector, SelectionKey.OP_CONNECT, address);
            }
        } catch (IOException e) {
            closeQuietly(c);
            toOpen.add(address); // tried again in turn
        }
    }

    private void handle(SelectionKey key) {
        SocketChannel c = (SocketChannel) key.channel();
        try {
            if (key.isValid() && key.isConnectable()) {
                c.finishConnect();
                established(c, key);
            }
            if (key.isValid() && key.isReadable()) {
                sink.clear();
                if (c.read(sink) < 0) {
                    lost(c);
                    return;
                }
            }
            if (key.isValid() && key.isWritable()) {
                // One write of many lines per turn, then the next connection's turn. Writing one
                // line at a time until the socket was full let a connection the central drained
                // as fast as it wrote hold this thread, while the others never wrote a byte and
                // were closed as silent strangers: a churn, not the write stall meant.
                c.write(floodLines.duplicate());
            }
        } catch (IOException e) {
            lost(c);
        }
    }

    private void established(SocketChannel c, SelectionKey key) throws IOException {
        connected.incrementAndGet();
        open.add(c);
        c.write(ByteBuffer.wrap(behaviour.opening()));
        // A writer never reads; the others read only to see the central close them.
        key.interestOps(behaviour.flood() != null ? SelectionKey.OP_WRITE : SelectionKey.OP_READ);
    }

    private void lost(SocketChannel c) {
        if (open.remove(c)) {
            connected.decrementAndGet();
            closedByCentral.incrementAndGet();
        }
        SelectionKey key = c.keyFor(selector);
        InetAddress address = key == null ? from.get(0) : (InetAddress) key.attachment();
        closeQuietly(c);
        if (running) {
            toOpen.add(address);
        }
    }

    private static void closeQuietly(SocketChannel c) {
        if (c != null) {
            try {
                c.close();
            } catch (IOException ignored) {
                // going anyway
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        selector.wakeup();
        thread.join(10_000);
        try {
            selector.close(); // ends the loop, if it still runs, with an exception
        } catch (IOException ignored) {
            // done
        }
        thread.join(10_000);
        for (SocketChannel c : new ArrayList<>(open)) {
            closeQuietly(c);
        }
    }
}
