package ar.loteria.central.reactor;

import java.time.Duration;

/**
 * What protects the reactor from its peers.
 *
 * @param maxConnections      past it, a new connection is closed at once
 * @param maxConnectionsPerIp past it, a new connection from that address is closed at once
 * @param idleTimeout         a connection that sends nothing this long is closed, unless its session waits for something
 * @param requestTimeout      a request (a frame, a line) must arrive whole within this from its first byte
 * @param writeTimeout        a peer that reads none of the replies waiting for it this long is closed
 */
public record Limits(int maxConnections, int maxConnectionsPerIp, Duration idleTimeout, Duration requestTimeout, Duration writeTimeout) {
    /** How long a closing connection may go without progress: flushing its last replies, or draining the peer's last bytes. */
    static final Duration LINGER = Duration.ofSeconds(2);
    /** File descriptors kept out of the connection limit: the store's files, the draw's reader, the selector, the jars, stdout. */
    public static final int RESERVED_DESCRIPTORS = 64;

    /**
     * A quarter of the heap, at most 32 MiB: what the input buffers lent at once may hold, and again
     * what the batches on their way to disk may.
     */
    public static long memoryBudget() {
        return Math.min(32L << 20, Runtime.getRuntime().maxMemory() / 4);
    }

    public Limits {
        if (maxConnections < 1 || maxConnectionsPerIp < 1) {
            throw new IllegalArgumentException("connection limits must be positive");
        }
    }

    /** The same limits with the total capped by what the process may open ({@code descriptors}), less a reserve. */
    public Limits cappedBy(long descriptors) {
        long room = descriptors - RESERVED_DESCRIPTORS;
        if (descriptors <= 0 || room >= maxConnections) {
            return this;
        }
        return new Limits((int) Math.max(1, room), maxConnectionsPerIp, idleTimeout, requestTimeout, writeTimeout);
    }
}
