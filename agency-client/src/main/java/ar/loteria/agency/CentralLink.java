package ar.loteria.agency;

import ar.loteria.wire.AgencyMessage.Hello;
import ar.loteria.wire.AgencyMessage.Proof;
import ar.loteria.wire.CentralMessage;
import ar.loteria.wire.CentralMessage.Challenge;
import ar.loteria.wire.CentralMessage.Failure;
import ar.loteria.wire.CentralMessage.Welcome;
import ar.loteria.wire.Decoded;
import ar.loteria.wire.ErrorCode;
import ar.loteria.wire.Frame;
import ar.loteria.wire.FrameDecoder;
import ar.loteria.wire.FrameEncoder;
import ar.loteria.wire.Message;
import ar.loteria.wire.Proofs;
import ar.loteria.wire.WireError;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Optional;

/**
 * A protocol connection to the central, with blocking I/O: frames are written to a buffer and
 * sent on {@link #flush} (many at once when batches are pipelined), and each receive reads until
 * a whole frame is there, however the bytes arrive.
 */
final class CentralLink implements AutoCloseable {
    /** The central answered with bytes that are not a valid frame, or a frame out of place. */
    static final class ProtocolException extends IOException {
        private static final long serialVersionUID = 1L;

        ProtocolException(String message) {
            super(message);
        }
    }

    /** The central is stopping and said so: connect again later, as after any dropped connection. */
    static final class CentralStopping extends IOException {
        private static final long serialVersionUID = 1L;

        CentralStopping(WireError error) {
            super("the central is stopping: " + error.reason());
        }
    }

    /** The central refused the request for good (a failed proof, offsets that do not match). */
    static final class Refused extends IOException {
        private static final long serialVersionUID = 1L;
        final transient WireError error;

        Refused(WireError error) {
            super("the central refused: " + error);
            this.error = error;
        }
    }

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final FrameDecoder decoder = new FrameDecoder();
    private final ByteBuffer received = ByteBuffer.allocate(4 * Frame.MAX_FRAME_BYTES).flip();
    private final ByteBuffer frame = ByteBuffer.allocate(Frame.MAX_FRAME_BYTES);

    CentralLink(Socket socket) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = new BufferedOutputStream(socket.getOutputStream(), 64 * 1024);
    }

    /** HELLO, the central's CHALLENGE, the PROOF made with {@code key} (none: the all-zero proof); the WELCOME. */
    Welcome handshake(int agency, Optional<byte[]> key, Duration timeout) throws IOException {
        send(new Hello(agency));
        flush();
        CentralMessage challenge = receive(timeout);
        if (!(challenge instanceof Challenge c)) {
            throw unexpected(challenge);
        }
        send(key.isPresent() ? new Proof(Proofs.proof(key.get(), agency, c.nonce())) : Proofs.unkeyed());
        flush();
        CentralMessage welcome = receive(timeout);
        if (!(welcome instanceof Welcome w)) {
            throw unexpected(welcome);
        }
        return w;
    }

    /** Buffers each message as one frame. */
    void send(Message... messages) throws IOException {
        for (Message message : messages) {
            frame.clear();
            FrameEncoder.encode(message, frame);
            out.write(frame.array(), 0, frame.position());
        }
    }

    /** Buffers an encoded frame. */
    void send(ByteBuffer encoded) throws IOException {
        out.write(encoded.array(), encoded.arrayOffset() + encoded.position(), encoded.remaining());
    }

    void flush() throws IOException {
        out.flush();
    }

    /**
     * The next frame from the central, waiting at most {@code timeout}. A FAILURE is thrown: as
     * {@link CentralStopping} when the central stops, else as {@link Refused}.
     */
    CentralMessage receive(Duration timeout) throws IOException {
        socket.setSoTimeout(AgencyConfig.timeoutMillis(timeout));
        while (true) {
            CentralMessage message = receiveBuffered();
            if (message != null) {
                return message;
            }
            received.compact();
            int n;
            try {
                n = in.read(received.array(), received.position(), received.remaining()); // may return fewer bytes than a frame
            } finally {
                received.flip();
            }
            if (n < 0) {
                throw new IOException("the central closed the connection");
            }
            received.limit(received.limit() + n);
        }
    }

    /**
     * The next frame if it has arrived whole already, else null; nothing is read from the socket.
     * A FAILURE is thrown as by {@link #receive}.
     */
    CentralMessage receiveBuffered() throws IOException {
        Decoded decoded = decoder.decode(received);
        if (decoded instanceof Decoded.Valid valid && valid.message() instanceof CentralMessage message) {
            if (message instanceof Failure failure) {
                if (failure.error().code() == ErrorCode.SHUTTING_DOWN) {
                    throw new CentralStopping(failure.error());
                }
                throw new Refused(failure.error());
            }
            return message;
        }
        if (decoded instanceof Decoded.Malformed malformed) {
            throw new ProtocolException("the central sent a malformed frame: " + malformed.error());
        }
        if (decoded != null) {
            throw new ProtocolException("the central sent a frame only an agency sends: " + decoded);
        }
        return null;
    }

    static ProtocolException unexpected(CentralMessage reply) {
        return new ProtocolException("unexpected reply " + reply);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
