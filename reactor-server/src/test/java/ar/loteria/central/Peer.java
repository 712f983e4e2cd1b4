package ar.loteria.central;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import ar.loteria.wire.AgencyMessage.AllSent;
import ar.loteria.wire.AgencyMessage.BetBatch;
import ar.loteria.wire.AgencyMessage.Hello;
import ar.loteria.wire.AgencyMessage.Proof;
import ar.loteria.wire.AgencyMessage.WinnersQuery;
import ar.loteria.wire.CentralMessage;
import ar.loteria.wire.CentralMessage.BatchAccepted;
import ar.loteria.wire.CentralMessage.Challenge;
import ar.loteria.wire.CentralMessage.Welcome;
import ar.loteria.wire.CentralMessage.Winners;
import ar.loteria.wire.Decoded;
import ar.loteria.wire.FrameDecoder;
import ar.loteria.wire.FrameEncoder;
import ar.loteria.wire.Message;
import ar.loteria.wire.Proofs;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/** A blocking peer on a real loopback socket, speaking frames or raw bytes. */
public final class Peer implements AutoCloseable {
    private static final int TIMEOUT_MILLIS = 10_000;

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final FrameDecoder decoder = new FrameDecoder();
    private final ByteBuffer received = ByteBuffer.allocate(64 * 1024).flip();

    public Peer(InetSocketAddress address) throws IOException {
        this(connect(address));
    }

    private Peer(Socket connected) throws IOException {
        socket = connected;
        socket.setSoTimeout(TIMEOUT_MILLIS);
        socket.setTcpNoDelay(true);
        in = socket.getInputStream();
        out = socket.getOutputStream();
    }

    private static Socket connect(InetSocketAddress address) throws IOException {
        Socket s = new Socket();
        s.connect(address, TIMEOUT_MILLIS);
        return s;
    }

    /** A peer over a socket the test set up itself (small buffers, say). */
    public static Peer over(Socket connected) throws IOException {
        return new Peer(connected);
    }

    public static byte[] bytes(Message message) {
        ByteBuffer b = FrameEncoder.encode(message);
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }

    public Peer send(Message... messages) throws IOException {
        for (Message m : messages) {
            out.write(bytes(m));
        }
        out.flush();
        return this;
    }

    public Peer sendBytes(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
        return this;
    }

    /** The next frame from the central. */
    public CentralMessage receive() throws IOException {
        while (true) {
            Decoded d = decoder.decode(received);
            if (d != null) {
                return (CentralMessage) assertInstanceOf(Decoded.Valid.class, d, "central sent a bad frame").message();
            }
            if (!fill()) {
                throw new IOException("the central closed the connection");
            }
        }
    }

    public <T extends CentralMessage> T receive(Class<T> type) throws IOException {
        return assertInstanceOf(type, receive());
    }

    /** The handshake, with the agency's test key: HELLO, CHALLENGE, PROOF; the WELCOME. */
    public Welcome hello(int agency) throws IOException {
        return hello(agency, TestKeys.bytes(agency));
    }

    /** The handshake with {@code key} (null: the all-zero proof of an agency without a key). */
    public Welcome hello(int agency, byte[] key) throws IOException {
        send(new Hello(agency));
        byte[] nonce = receive(Challenge.class).nonce();
        send(key == null ? Proofs.unkeyed() : new Proof(Proofs.proof(key, agency, nonce)));
        return receive(Welcome.class);
    }

    /** Identifies, sends the batches one at a time checking each acceptance, says all sent. */
    public Peer sendAll(int agency, List<BetBatch> batches) throws IOException {
        hello(agency);
        long total = 0;
        for (BetBatch batch : batches) {
            send(batch);
            total = batch.endOffset();
            assertEquals(new BatchAccepted(batch.firstOffset(), batch.bets().size(), total), receive());
        }
        return send(new AllSent(total));
    }

    /** Asks for the winners and gathers every frame of the answer. */
    public List<String> winners() throws IOException {
        send(new WinnersQuery());
        return collectWinners();
    }

    /** Gathers an answer reading little at a time, with a pause before each read: a slow agency. */
    public List<String> collectWinnersSlowly(java.time.Duration pause) throws IOException, InterruptedException {
        List<String> documents = new ArrayList<>();
        Winners frame;
        do {
            while (decoderHasNoFrame()) {
                Thread.sleep(pause.toMillis());
                if (!fill(8192)) {
                    throw new IOException("the central closed the connection after " + documents.size() + " winners");
                }
            }
            frame = receive(Winners.class);
            documents.addAll(frame.documents());
        } while (!frame.last());
        return documents;
    }

    private boolean decoderHasNoFrame() {
        ByteBuffer peek = received.duplicate();
        return decoder.decode(peek) == null;
    }

    public List<String> collectWinners() throws IOException {
        List<String> documents = new ArrayList<>();
        Winners frame;
        do {
            frame = receive(Winners.class);
            documents.addAll(frame.documents());
        } while (!frame.last());
        return documents;
    }

    /** Everything the peer sends until it closes, as raw bytes. */
    public byte[] readToEnd() throws IOException {
        return in.readAllBytes();
    }

    /** Whether the central closed the connection (end of stream or reset) within the timeout. */
    public boolean closedByCentral() throws IOException {
        try {
            while (true) {
                if (received.hasRemaining()) {
                    received.position(received.limit());
                }
                if (!fill()) {
                    return true;
                }
            }
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // reset
        }
    }

    /**
     * The central serves this connection no more: a HELLO sent now gets no answer, or finds it
     * closed. A stranger refused is held so, unread, until a newcomer needs its place or the idle
     * timeout passes.
     */
    public boolean servedNoMore() throws IOException {
        socket.setSoTimeout(300);
        try {
            sendBytes(bytes(new ar.loteria.wire.AgencyMessage.Hello(1)));
            received.position(received.limit());
            return !fill(); // an answer came; or the end of the stream: closed
        } catch (SocketTimeoutException e) {
            return true;
        } catch (IOException e) {
            return true; // reset
        } finally {
            socket.setSoTimeout(TIMEOUT_MILLIS);
        }
    }

    /** Nothing arrives within {@code millis}: used where the central must stay silent. */
    public boolean silentFor(int millis) throws IOException {
        socket.setSoTimeout(millis);
        try {
            fill();
            return false;
        } catch (SocketTimeoutException e) {
            return true;
        } finally {
            socket.setSoTimeout(TIMEOUT_MILLIS);
        }
    }

    /** One line of an echo, without its newline. */
    public byte[] readLineForTest() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new IOException("closed before the end of the line");
            }
            line.write(b);
        }
        return line.toByteArray();
    }

    public void shutdownOutput() throws IOException {
        socket.shutdownOutput();
    }

    private boolean fill() throws IOException {
        return fill(Integer.MAX_VALUE);
    }

    private boolean fill(int atMost) throws IOException {
        received.compact();
        try {
            int n = in.read(received.array(), received.position(), Math.min(atMost, received.remaining()));
            if (n < 0) {
                return false;
            }
            received.position(received.position() + n);
            return true;
        } finally {
            received.flip();
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
