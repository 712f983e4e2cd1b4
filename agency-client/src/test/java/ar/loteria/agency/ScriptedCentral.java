package ar.loteria.agency;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import ar.loteria.wire.Decoded;
import ar.loteria.wire.FrameDecoder;
import ar.loteria.wire.FrameEncoder;
import ar.loteria.wire.Message;
import java.io.IOException;
import java.net.Socket;
import java.nio.ByteBuffer;

/** The central's side of one connection, played by the test. */
final class ScriptedCentral implements AutoCloseable {
    private final Socket socket;
    private final FrameDecoder decoder = new FrameDecoder();
    private final ByteBuffer received = ByteBuffer.allocate(64 * 1024).flip();

    ScriptedCentral(Socket socket) throws IOException {
        this.socket = socket;
        socket.setSoTimeout(10_000);
    }

    Message receive() throws IOException {
        while (true) {
            Decoded d = decoder.decode(received);
            if (d != null) {
                return assertInstanceOf(Decoded.Valid.class, d).message();
            }
            if (fill() < 0) {
                throw new IOException("the agency closed the connection");
            }
        }
    }

    void send(Message message) throws IOException {
        ByteBuffer frame = FrameEncoder.encode(message);
        socket.getOutputStream().write(frame.array(), 0, frame.limit());
    }

    boolean closedByAgency() throws IOException {
        return fill() < 0 && !received.hasRemaining();
    }

    private int fill() throws IOException {
        received.compact();
        try {
            int n = socket.getInputStream().read(received.array(), received.position(), received.remaining());
            if (n > 0) {
                received.position(received.position() + n);
            }
            return n;
        } finally {
            received.flip();
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
