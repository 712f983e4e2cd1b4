package ar.loteria.central.reactor;

import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.GatheringByteChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;

/** One connection's socket, and what the selector watches on it. Reactor thread only. */
final class Endpoint {
    private final SocketChannel channel;
    private final SelectionKey key;

    Endpoint(SocketChannel channel, SelectionKey key) {
        this.channel = channel;
        this.key = key;
    }

    int read(ByteBuffer into) throws IOException {
        return channel.read(into);
    }

    GatheringByteChannel output() {
        return channel;
    }

    /**
     * Caps what the kernel holds of our output for this peer at about {@code bytes} (Linux
     * doubles it): a fixed size, no longer grown by the kernel's tuning, which lets a send buffer
     * reach megabytes for a peer that never reads.
     */
    void capSendBuffer(int bytes) {
        try {
            channel.setOption(StandardSocketOptions.SO_SNDBUF, bytes);
        } catch (IOException e) {
            // the kernel's own size then: the output budget still bounds what we hold
        }
    }

    /** Shuts our side, so that the peer reads the end of the stream; whether the socket took it. */
    boolean shutdownOutput() {
        try {
            channel.shutdownOutput();
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** The selector reports it readable, writable, both or neither; nothing once it is closed. */
    void watch(boolean reading, boolean writing) {
        if (!key.isValid()) {
            return;
        }
        int ops = (reading ? SelectionKey.OP_READ : 0) | (writing ? SelectionKey.OP_WRITE : 0);
        if (key.interestOps() != ops) {
            key.interestOps(ops);
        }
    }

    /** Closes it: with a FIN, or with a reset, which leaves no TIME_WAIT and sends a third of the packets. */
    void close(boolean reset) {
        key.cancel();
        try {
            if (reset) {
                channel.setOption(StandardSocketOptions.SO_LINGER, 0); // fails on some systems once the peer has reset
            }
        } catch (IOException ignored) {
            // closed with a FIN then
        } finally {
            try {
                channel.close();
            } catch (IOException ignored) {
                // nothing left to do with it
            }
        }
    }
}
