package ar.loteria.agency;

import ar.loteria.wire.CentralMessage;
import ar.loteria.wire.CentralMessage.Failure;
import ar.loteria.wire.Decoded;
import ar.loteria.wire.ErrorCode;
import ar.loteria.wire.Frame;
import ar.loteria.wire.FrameDecoder;
import ar.loteria.wire.FrameEncoder;
import ar.loteria.wire.Message;
import ar.loteria.wire.WireError;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;

/**
 * A protocol connection to the central, with blocking I/O: each send writes whole frames, each
 * receive reads until a whole frame is there, however the bytes arrive.
 */
final class CentralLink implements AutoCloseable {
    /** The central answered with bytes that are not a valid frame. */
    static final class ProtocolException extends IOException {
        private static final long serialVersionUID = 1L;

        ProtocolException(WireError error) {
            super("the central sent a malformed frame: " + error);
        }
    }

    /** The central is stopping and said so: connect again later, as after any dropped connection. */
    static final class CentralStopping extends IOException {
        private static final long serialVersionUID = 1L;

        CentralStopping(WireError error) {
            super("the central is stopping: " + error.reason());
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
        this.out = socket.getOutputStream();
    }

    /** Writes each message as one frame. */
    void send(Message... messages) throws IOException {
        for (Message message : messages) {
            frame.clear();
            FrameEncoder.encode(message, frame);
            out.write(frame.array(), 0, frame.position()); // a socket stream writes every byte or throws
        }
        out.flush();
    }

    /** The next frame; {@code timeout} zero waits as long as it takes. */
    CentralMessage receive(Duration timeout) throws IOException {
        socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, timeout.toMillis()));
        while (true) {
            Decoded decoded = decoder.decode(received);
            if (decoded instanceof Decoded.Valid && ((Decoded.Valid) decoded).message() instanceof CentralMessage) {
                CentralMessage message = (CentralMessage) ((Decoded.Valid) decoded).message();
                if (message instanceof Failure && ((Failure) message).error().code() == ErrorCode.SHUTTING_DOWN) {
                    throw new CentralStopping(((Failure) message).error());
                }
                return message;
            }
            if (decoded instanceof Decoded.Malformed) {
                throw new ProtocolException(((Decoded.Malformed) decoded).error());
            }
            if (decoded != null) {
                throw new ProtocolException(new WireError(ErrorCode.UNEXPECTED_MESSAGE, "a frame only an agency sends: " + decoded));
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

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
