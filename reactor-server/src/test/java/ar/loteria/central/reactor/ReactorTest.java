package ar.loteria.central.reactor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ar.loteria.central.CentralLog;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The reactor alone, with sessions made up for the test: it knows bytes, and what to do when a session breaks. */
class ReactorTest {
    /** Echoes each byte; "!" throws a runtime exception, "#" an Error. */
    private static final class Touchy implements Session {
        private final Connection connection;

        Touchy(Connection connection) {
            this.connection = connection;
        }

        @Override
        public void onInput(ByteBuffer input, boolean endOfInput) {
            while (input.hasRemaining()) {
                byte b = input.get();
                if (b == '!') {
                    throw new IllegalStateException("a bug in one session");
                }
                if (b == '#') {
                    throw new StackOverflowError("injected");
                }
                connection.send(ByteBuffer.wrap(new byte[] {b}));
            }
            if (endOfInput) {
                connection.closeAfterFlush("peer closed");
            }
        }

        @Override
        public void onClose(String reason) {
        }
    }

    private static Reactor open() throws IOException {
        Duration t = Duration.ofSeconds(30);
        return Reactor.open(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16, new Limits(100, 100, t, t, t), new CentralLog());
    }

    /** Runs the reactor's loop on a thread of its own: what ended it, or null for a stop. */
    private static CompletableFuture<Throwable> run(Reactor reactor, SessionFactory sessions) {
        CompletableFuture<Throwable> ended = new CompletableFuture<>();
        Thread loop = new Thread(() -> {
            try {
                reactor.run(sessions);
                ended.complete(null);
            } catch (Throwable t) {
                ended.complete(t);
            }
        });
        loop.start();
        return ended;
    }

    /** Stops the loop, which must end for the stop and nothing else, and closes the reactor. */
    private static void stop(Reactor reactor, CompletableFuture<Throwable> ended) throws Exception {
        reactor.stop();
        assertEquals(null, ended.get(10, TimeUnit.SECONDS), "the loop ends for the stop");
        reactor.closeListener();
        reactor.closeSelector();
    }

    /** A client of the reactor's port, whose reads give up after 10 s. */
    private static Socket connected(Reactor reactor) throws IOException {
        Socket s = new Socket();
        s.connect(reactor.address());
        s.setSoTimeout(10_000);
        return s;
    }

    private static String echo(Socket s, String text) throws IOException {
        s.getOutputStream().write(text.getBytes(StandardCharsets.US_ASCII));
        byte[] back = s.getInputStream().readNBytes(text.length());
        return new String(back, StandardCharsets.US_ASCII);
    }

    @Test
    void aRuntimeExceptionInOneSessionClosesThatConnectionOnly() throws Exception {
        Reactor reactor = open();
        CompletableFuture<Throwable> ended = run(reactor, Touchy::new);
        try (Socket good = connected(reactor); Socket bad = connected(reactor)) {
            assertEquals("abc", echo(good, "abc"));
            bad.getOutputStream().write("x!".getBytes(StandardCharsets.US_ASCII));
            InputStream in = bad.getInputStream();
            int b;
            do {
                b = in.read();
            } while (b >= 0); // closed, without the echo of what came after the bug
            assertEquals("def", echo(good, "def"), "the other connection is served on");
        } finally {
            stop(reactor, ended);
        }
    }

    @Test
    void anErrorEndsTheLoopWithIt() throws Exception {
        Reactor reactor = open();
        CompletableFuture<Throwable> ended = run(reactor, Touchy::new);
        try (Socket s = new Socket()) {
            s.connect(reactor.address());
            s.getOutputStream().write('#');
            assertInstanceOf(StackOverflowError.class, ended.get(10, TimeUnit.SECONDS), "the caller stops the process");
        } finally {
            reactor.closeListener();
            reactor.closeSelector();
        }
    }

    /** The central collects its heap when idle (HeapRelease): the reactor says so when the last connection closes, and only then. */
    @Test
    void theLastConnectionToCloseTellsThatTheReactorIsIdle() throws Exception {
        BlockingQueue<String> told = new LinkedBlockingQueue<>();
        Duration t = Duration.ofSeconds(30);
        Reactor reactor = Reactor.open(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16, new Limits(100, 100, t, t, t),
                new ReactorEvents() {
                    @Override
                    public void closed(String ip, String reason) {
                        told.add("closed");
                    }
                });
        reactor.whenIdle(() -> told.add("idle"));
        CompletableFuture<Throwable> ended = run(reactor, Touchy::new);
        try (Socket first = connected(reactor); Socket second = connected(reactor)) {
            assertEquals("a", echo(first, "a"));
            assertEquals("b", echo(second, "b")); // both served, so both are on the roll
            first.close();
            assertEquals("closed", told.poll(10, TimeUnit.SECONDS));
            second.close();
            assertEquals("closed", told.poll(10, TimeUnit.SECONDS), "not idle while one connection was open");
            assertEquals("idle", told.poll(10, TimeUnit.SECONDS));
            try (Socket third = connected(reactor)) {
                assertEquals("c", echo(third, "c"));
                reactor.stop(); // with the third connection open: the shutdown closes it, as the central's does
                assertEquals(null, ended.get(10, TimeUnit.SECONDS));
                reactor.closeConnections();
                InputStream in = third.getInputStream();
                while (in.read() >= 0) {
                    // whatever the shutdown says, then the close
                }
            }
        } finally {
            if (!ended.isDone()) {
                reactor.stop();
                ended.get(10, TimeUnit.SECONDS);
            }
            reactor.closeListener();
            reactor.closeSelector();
        }
        assertEquals(null, told.poll(), "a stop that closes the last connection is no idleness");
    }

    /** Owes nothing, reads everything, and never idles out: an agency parked on the draw. */
    private static final class Parked implements Session {
        @Override
        public void onInput(ByteBuffer in, boolean endOfInput) {
            in.position(in.limit());
        }

        @Override
        public boolean mayIdleOut() {
            return false;
        }

        @Override
        public void onClose(String reason) {
        }
    }

    /**
     * Found in review: a connection that owed nothing for longer than the write timeout was closed
     * by the sweep of the very turn in which its reply was queued, as if its peer read nothing.
     */
    @Test
    void aReplyOwedAfterALongQuietIsNotTakenForAPeerThatDoesNotRead() throws Exception {
        Duration longTime = Duration.ofSeconds(30);
        Reactor reactor = Reactor.open(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16,
                new Limits(100, 100, longTime, longTime, Duration.ofMillis(200)), new CentralLog()); // a sweep every 50 ms
        CompletableFuture<Connection> opened = new CompletableFuture<>();
        CompletableFuture<Throwable> ended = run(reactor, c -> {
            opened.complete(c);
            return new Parked();
        });
        try (Socket s = new Socket()) {
            s.connect(reactor.address());
            s.setSoTimeout(5_000);
            Connection connection = opened.get(5, TimeUnit.SECONDS);
            CompletableFuture<Void> quiet = new CompletableFuture<>();
            reactor.execute(() -> reactor.schedule(TimeUnit.MILLISECONDS.toNanos(400), () -> quiet.complete(null)));
            quiet.get(5, TimeUnit.SECONDS); // parked, owing nothing, for twice the write timeout
            connection.later(() -> reactor.schedule(0, () -> {
                java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(150)); // a slow turn, past a sweep
                connection.later(() -> connection.send(ByteBuffer.wrap(new byte[] {42})));
            }));
            assertEquals(42, s.getInputStream().read(), "the reply, not a close");
        } finally {
            stop(reactor, ended);
        }
    }

    @Test
    void aTaskThatThrowsForAConnectionClosesIt() throws Exception {
        Reactor reactor = open();
        CompletableFuture<Connection> opened = new CompletableFuture<>();
        CompletableFuture<Throwable> ended = run(reactor, c -> {
            opened.complete(c);
            return new Touchy(c);
        });
        try (Socket s = new Socket()) {
            s.connect(reactor.address());
            s.setSoTimeout(10_000);
            Connection connection = opened.get(10, TimeUnit.SECONDS);
            connection.later(() -> {
                throw new IllegalStateException("a completion that breaks");
            });
            assertTrue(s.getInputStream().read() < 0, "closed");
        } finally {
            stop(reactor, ended);
        }
    }

    /**
     * An authenticated peer that answers each line once its newline came, noting it in {@code
     * served}; a partial line asks for a large input buffer and keeps its bytes there.
     */
    private static final class Lines implements Session {
        private final Connection connection;
        private final List<String> served;
        private final CompletableFuture<Void> holding;

        Lines(Connection connection, List<String> served, CompletableFuture<Void> holding) {
            this.connection = connection;
            this.served = served;
            this.holding = holding;
            connection.authenticated();
        }

        @Override
        public void onInput(ByteBuffer in, boolean endOfInput) {
            for (int i = in.position(); i < in.limit(); i++) {
                if (in.get(i) == '\n') {
                    byte[] line = new byte[i - in.position()];
                    in.get(line).get();
                    served.add(new String(line, StandardCharsets.US_ASCII));
                    connection.send(ByteBuffer.wrap(new byte[] {'k'}));
                    return;
                }
            }
            if (in.hasRemaining()) {
                connection.needRoom(InputBuffers.SMALL_BYTES + 1);
                holding.complete(null);
            }
        }

        @Override
        public void onClose(String reason) {
        }
    }

    private static int starved(Reactor reactor) throws Exception {
        CompletableFuture<Integer> n = new CompletableFuture<>();
        reactor.execute(() -> n.complete(reactor.starvedCount()));
        return n.get(5, TimeUnit.SECONDS);
    }

    /**
     * Found in review: a returned buffer re-armed every connection waiting for one, and whichever the
     * selector listed first took it. Now it goes to the one that waited longest, in turn.
     */
    @Test
    void aReturnedInputBufferGoesToTheConnectionThatWaitedLongest() throws Exception {
        Duration t = Duration.ofSeconds(30);
        Reactor reactor = Reactor.open(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16, new Limits(100, 100, t, t, t),
                new CentralLog(), 1, Limits.outputBudget()); // a budget of one large input buffer
        List<String> served = Collections.synchronizedList(new ArrayList<>());
        CompletableFuture<Void> holding = new CompletableFuture<>();
        CompletableFuture<Throwable> ended = run(reactor, c -> new Lines(c, served, holding));
        List<Socket> waiting = new ArrayList<>();
        try (Socket holder = new Socket()) {
            holder.connect(reactor.address());
            holder.getOutputStream().write("first".getBytes(StandardCharsets.US_ASCII));
            holding.get(5, TimeUnit.SECONDS); // its partial line holds the one large buffer
            for (int i = 0; i < 5; i++) {
                Socket s = new Socket();
                waiting.add(s);
                s.connect(reactor.address());
                s.setSoTimeout(10_000);
                s.getOutputStream().write(("w" + i).getBytes(StandardCharsets.US_ASCII));
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
                while (starved(reactor) != i + 1) {
                    assertTrue(System.nanoTime() < deadline, "connection " + i + " waits for a buffer");
                    Thread.onSpinWait();
                }
                s.getOutputStream().write('\n'); // waits in the kernel until the connection has its buffer
            }
            holder.getOutputStream().write('\n');
            for (Socket s : waiting) {
                assertEquals('k', s.getInputStream().read(), "served");
            }
            assertEquals(List.of("first", "w0", "w1", "w2", "w3", "w4"), served, "in the order they waited");
            assertEquals(0, starved(reactor));
        } finally {
            for (Socket s : waiting) {
                s.close();
            }
            stop(reactor, ended);
        }
    }

    @Test
    void anExceptionOpeningASessionClosesThatSocketAndNotTheCentral() throws Exception {
        Reactor reactor = open();
        java.util.concurrent.atomic.AtomicInteger opened = new java.util.concurrent.atomic.AtomicInteger();
        CompletableFuture<Throwable> ended = run(reactor, c -> {
            if (opened.incrementAndGet() == 1) {
                throw new IllegalStateException("a session that cannot be made");
            }
            return new Touchy(c);
        });
        try (Socket first = new Socket(); Socket second = new Socket()) {
            first.connect(reactor.address());
            first.setSoTimeout(10_000);
            assertEquals(-1, first.getInputStream().read(), "that socket is closed");
            second.connect(reactor.address());
            second.setSoTimeout(10_000);
            assertEquals("abc", echo(second, "abc"), "the next is served");
        } finally {
            stop(reactor, ended);
        }
    }

    /**
     * Sends {@code 4 KiB} back for every byte while the connection is writable; a peer that sends
     * 'A' is authenticated, one that sends 'G' a guest (as the echo's peers are).
     */
    private static final class Amplifier implements Session {
        private final Connection connection;

        Amplifier(Connection connection) {
            this.connection = connection;
        }

        @Override
        public void onInput(ByteBuffer in, boolean endOfInput) {
            while (in.hasRemaining() && connection.writable()) {
                byte b = in.get();
                if (b == 'A') {
                    connection.authenticated();
                } else if (b == 'G') {
                    connection.guest();
                }
                connection.send(ByteBuffer.allocate(4096));
            }
        }

        @Override
        public void onClose(String reason) {
        }
    }

    /** Twenty guests that each ask for 8 MiB of replies (2,000 'G's) and never read, added to {@code deaf}. */
    private static void deafGuests(Reactor reactor, List<Socket> deaf) throws IOException {
        byte[] asks = new byte[2_000];
        java.util.Arrays.fill(asks, (byte) 'G');
        for (int i = 0; i < 20; i++) {
            Socket s = new Socket();
            deaf.add(s);
            s.setReceiveBufferSize(4096);
            s.connect(reactor.address());
            s.getOutputStream().write(asks);
        }
    }

    private static long held(Reactor reactor) throws Exception {
        CompletableFuture<Long> n = new CompletableFuture<>();
        reactor.execute(() -> n.complete(reactor.output().held()));
        return n.get(5, TimeUnit.SECONDS);
    }

    /**
     * Peers that send and never read pin no more than the output budget over all connections,
     * however many they are, while an authenticated peer is still answered; and those that do not
     * drain within the write timeout are closed, which gives the budget back.
     */
    @Test
    void peersThatDoNotReadHoldNoMoreThanTheOutputBudgetAndAnAgencyIsStillAnswered() throws Exception {
        long budget = 256 * 1024;
        Duration t = Duration.ofSeconds(30);
        Reactor reactor = Reactor.open(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64,
                new Limits(1000, 1000, t, t, Duration.ofMillis(1_500)), new CentralLog(), Limits.memoryBudget(), budget);
        CompletableFuture<Throwable> ended = run(reactor, Amplifier::new);
        List<Socket> deaf = new ArrayList<>();
        try {
            // 8 MiB of replies each, more than a socket's send buffer takes however the kernel
            // tunes it (up to 4 MiB on loopback, faster once it has seen earlier connections): 20
            // of them would hold 160 MB unsent, or some of it, and never none.
            deafGuests(reactor, deaf); // guests, as the echo's peers: a stranger may hold its first reply past the budget
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            long most = 0;
            while (most < budget && System.nanoTime() < deadline) {
                most = Math.max(most, held(reactor));
            }
            assertTrue(most >= budget, "the deaf peers reached the budget: " + most);
            try (Socket agency = new Socket()) {
                agency.connect(reactor.address());
                agency.setSoTimeout(10_000);
                agency.getOutputStream().write('A');
                assertEquals(4096, agency.getInputStream().readNBytes(4096).length, "answered past the budget");
            }
            for (int i = 0; i < 20; i++) {
                long h = held(reactor);
                assertTrue(h <= budget + 2 * (4096 + Outbound.ENTRY_OVERHEAD), "held " + h + " bytes over a budget of " + budget);
            }
            long closing = System.nanoTime() + TimeUnit.SECONDS.toNanos(30); // once the kernel's send buffers are full too
            while (held(reactor) > 0) {
                assertTrue(System.nanoTime() < closing, "the deaf peers are closed after the write timeout; held " + held(reactor));
                Thread.sleep(50);
            }
        } finally {
            for (Socket s : deaf) {
                s.close();
            }
            stop(reactor, ended);
        }
    }
    /**
     * An agency's handshake, as the reactor sees it: a stranger says 'H' and is owed a small
     * CHALLENGE; it says 'P' and is authenticated, then owed a large reply per byte. Peers saying
     * 'G' are guests that amplify, as the echo's peers do.
     */
    private static final class Handshaking implements Session {
        static final int CHALLENGE_BYTES = 5 + 32;
        private final Connection connection;
        private final Amplifier amplifier;
        private boolean greeted;

        Handshaking(Connection connection) {
            this.connection = connection;
            this.amplifier = new Amplifier(connection);
        }

        @Override
        public void onInput(ByteBuffer in, boolean endOfInput) {
            if (!greeted && in.hasRemaining() && in.get(in.position()) == 'H') {
                if (!connection.writable()) {
                    return; // waits, unread, to be resumed
                }
                in.get();
                greeted = true;
                connection.send(ByteBuffer.allocate(CHALLENGE_BYTES));
            }
            amplifier.onInput(in, endOfInput);
        }

        @Override
        public void onClose(String reason) {
        }
    }

    /**
     * Past the output budget, held by peers that never read, a stranger still gets its first
     * small reply: an agency that connects then can say who it is, get in and be answered,
     * while the deaf peers still hold the budget (their write timeout is far off).
     */
    @Test
    void pastTheOutputBudgetAStrangerStillGetsItsChallengeAndAnAgencyGetsIn() throws Exception {
        long budget = 256 * 1024;
        Duration t = Duration.ofSeconds(60);
        Reactor reactor = Reactor.open(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64,
                new Limits(1000, 1000, t, t, t), new CentralLog(), Limits.memoryBudget(), budget);
        CompletableFuture<Throwable> ended = run(reactor, Handshaking::new);
        List<Socket> deaf = new ArrayList<>();
        try {
            deafGuests(reactor, deaf);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            long held;
            while ((held = held(reactor)) < budget && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertTrue(held >= budget, "the deaf peers hold the budget: " + held);
            try (Socket agency = new Socket()) {
                agency.connect(reactor.address());
                agency.setSoTimeout(10_000);
                agency.getOutputStream().write('H');
                assertEquals(Handshaking.CHALLENGE_BYTES, agency.getInputStream().readNBytes(Handshaking.CHALLENGE_BYTES).length,
                        "the stranger's CHALLENGE, past the budget");
                agency.getOutputStream().write('A');
                assertEquals(4096, agency.getInputStream().readNBytes(4096).length, "and, authenticated, its answer");
            }
            assertTrue(held(reactor) >= budget / 2, "all the while the deaf peers held the budget: " + held(reactor));
        } finally {
            for (Socket s : deaf) {
                s.close();
            }
            stop(reactor, ended);
        }
    }
}
