package ar.loteria.central.reactor;

import java.time.Duration;

/**
 * What protects the reactor from its peers.
 *
 * @param maxConnections past it, a new connection is closed at once
 * @param idleTimeout    a connection that sends nothing this long is closed, unless its session waits for something
 */
public record Limits(int maxConnections, Duration idleTimeout) {
    /** How long a connection closed for misbehaving may still drain what its peer sends, so that our last reply is not lost to a reset. */
    static final Duration LINGER = Duration.ofSeconds(2);
}
