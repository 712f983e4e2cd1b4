package ar.loteria.central.reactor;

import java.time.Duration;

/**
 * What protects the reactor from its peers.
 *
 * @param maxConnections      past it, a newcomer waits in the {@link #lobby} until it speaks, then displaces the oldest connection not authenticated, or is closed
 * @param maxConnectionsPerIp the same, per source address
 * @param idleTimeout         a connection that sends nothing this long is closed, unless its session waits for something
 * @param requestTimeout      a request (a frame, a line) must arrive whole within this from its first byte
 * @param writeTimeout        a peer that reads none of the replies waiting for it this long is closed
 * @param handshakeTimeout    a connection whose session has not said what it is (authenticated, or a guest without a handshake) this long after its accept is closed (held unread until the idle timeout, if it never sent a byte)
 * @param minRequestRate      bytes per second a request still arriving must average once it has been arriving for {@link #RATE_GRACE}; 0: no minimum
 */
public record Limits(int maxConnections, int maxConnectionsPerIp, Duration idleTimeout, Duration requestTimeout, Duration writeTimeout,
        Duration handshakeTimeout, int minRequestRate) {
    /** How long a closing connection may go without progress: flushing its last replies, or draining the peer's last bytes. */
    static final Duration LINGER = Duration.ofSeconds(2);
    /** How long a request may arrive at any pace before its rate is judged: a slow start is no slow peer. */
    static final Duration RATE_GRACE = Duration.ofSeconds(2);
    /**
     * File descriptors kept out of the connections and their lobby: the store's files, the draw's
     * reader, the selector, the jars, stdout, and the status view's 16 and its lobby of 16.
     */
    public static final int RESERVED_DESCRIPTORS = 96;
    /** The fewest newcomers the {@link #lobby} holds, whatever the cap. */
    static final int LEAST_LOBBY = 16;
    public static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(5);
    public static final int DEFAULT_MIN_REQUEST_RATE = 1024;

    /**
     * A quarter of the heap, at most 32 MiB: what the input buffers lent at once may hold, and again
     * what the batches on their way to disk may.
     */
    public static long memoryBudget() {
        return Math.min(32L << 20, Runtime.getRuntime().maxMemory() / 4);
    }

    /** What the replies not yet written may hold over all connections before the biggest holders are read no more: half the {@link #memoryBudget}. */
    public static long outputBudget() {
        return memoryBudget() / 2;
    }

    public Limits {
        if (maxConnections < 1 || maxConnectionsPerIp < 1) {
            throw new IllegalArgumentException("connection limits must be positive");
        }
        if (minRequestRate < 0) {
            throw new IllegalArgumentException("the minimum request rate cannot be negative");
        }
    }

    /** With the default handshake timeout and minimum request rate. */
    public Limits(int maxConnections, int maxConnectionsPerIp, Duration idleTimeout, Duration requestTimeout, Duration writeTimeout) {
        this(maxConnections, maxConnectionsPerIp, idleTimeout, requestTimeout, writeTimeout, DEFAULT_HANDSHAKE_TIMEOUT, DEFAULT_MIN_REQUEST_RATE);
    }

    /** The same limits with another handshake timeout and minimum request rate. */
    public Limits withHandshake(Duration handshake, int minRate) {
        return new Limits(maxConnections, maxConnectionsPerIp, idleTimeout, requestTimeout, writeTimeout, handshake, minRate);
    }

    /** The same time limits with other connection caps. */
    public Limits withCaps(int connections, int perAddress) {
        return new Limits(connections, perAddress, idleTimeout, requestTimeout, writeTimeout, handshakeTimeout, minRequestRate);
    }

    /**
     * How many newcomers past a cap may wait, counted by no cap, until they speak: an eighth of
     * the total cap, at least 16. Each costs its socket and about 2 KiB of heap until it speaks or
     * its idle timeout, so a silent flood must be more than this past a cap to displace anyone.
     */
    public int lobby() {
        return Math.max(LEAST_LOBBY, maxConnections / 8);
    }

    /**
     * The same limits with the total capped so that the connections and their {@link #lobby} fit
     * in what the process may open ({@code descriptors}), less a reserve.
     */
    public Limits cappedBy(long descriptors) {
        long room = descriptors - RESERVED_DESCRIPTORS;
        if (descriptors <= 0 || room >= maxConnections + (long) lobby()) {
            return this;
        }
        long cap = Math.min(room - LEAST_LOBBY, room * 8 / 9); // cap + lobby <= room, once room > LEAST_LOBBY
        return new Limits((int) Math.max(1, cap), maxConnectionsPerIp, idleTimeout, requestTimeout, writeTimeout, handshakeTimeout, minRequestRate);
    }
}
