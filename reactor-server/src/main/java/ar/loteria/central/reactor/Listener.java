package ar.loteria.central.reactor;

import java.io.Closeable;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;

/**
 * A listening socket, bound before the reactor serves it: a port the central cannot have stops the
 * start before anything else is opened, and peers that connect meanwhile wait in its accept queue
 * until the reactor runs. Its owner closes it.
 */
public final class Listener implements Closeable {
    private final ServerSocketChannel channel;
    private final InetSocketAddress address;

    private Listener(ServerSocketChannel channel, InetSocketAddress address) {
        this.channel = channel;
        this.address = address;
    }

    /** Binds {@code address} with an accept queue of {@code backlog} (the kernel caps it at net.core.somaxconn). */
    public static Listener bind(InetSocketAddress address, int backlog) throws IOException {
        ServerSocketChannel channel = ServerSocketChannel.open();
        try {
            channel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            channel.bind(address, backlog);
            channel.configureBlocking(false);
            return new Listener(channel, (InetSocketAddress) channel.getLocalAddress());
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /** Where it listens: the port really bound when 0 was asked. */
    public InetSocketAddress address() {
        return address;
    }

    ServerSocketChannel channel() {
        return channel;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
