package ar.loteria.central.reactor;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Map;

/**
 * Input buffers, lent to a connection only while it holds unprocessed bytes: ten thousand quiet
 * connections hold none. Every connection reads into a small buffer, enough for a handshake frame
 * or an echo line; a large one, room for a whole frame of the largest kind, is lent only when the
 * session asks for it with a request that does not fit, and only within a budget, whatever the
 * number of connections. Of that budget guests may hold an eighth, one address a quarter of that,
 * and strangers nothing: peers that never proved who they are cannot take the room agencies need.
 * A connection refused waits in line; a buffer that comes back goes to the one that waited longest
 * among those that may take it. Reactor thread only.
 */
final class InputBuffers {
    static final int SMALL_BYTES = 512;
    static final int LARGE_BYTES = 16 * 1024;
    private static final int IDLE = 16;
    private static final int GUEST_FRACTION = 8;
    private static final int ADDRESS_FRACTION = 4;

    private final long budget;
    private final long guestBudget;
    private final long addressBudget;
    private final ArrayDeque<ByteBuffer> idleSmall = new ArrayDeque<>();
    private final ArrayDeque<ByteBuffer> idleLarge = new ArrayDeque<>();
    private final Map<InetAddress, Long> lentToAddress = new HashMap<>();
    /** In line for a large buffer, in the order they asked: agencies apart, as they may take one whenever there is room. */
    private final LinkedHashSet<Connection> waitingAgencies = new LinkedHashSet<>();
    private final LinkedHashSet<Connection> waitingGuests = new LinkedHashSet<>();
    private long lent;
    private long lentToGuests;

    /** {@code budget}: the bytes all lent large buffers may hold at once (at least one buffer, even for guests). */
    InputBuffers(long budget) {
        this.budget = Math.max(budget, LARGE_BYTES);
        this.guestBudget = Math.max(this.budget / GUEST_FRACTION, LARGE_BYTES);
        this.addressBudget = Math.max(guestBudget / ADDRESS_FRACTION, LARGE_BYTES);
    }

    ByteBuffer small() {
        ByteBuffer b = idleSmall.poll();
        return b != null ? b.clear() : ByteBuffer.allocate(SMALL_BYTES);
    }

    /** Whether a large buffer may be lent now to a peer of this standing at {@code address}. */
    boolean mayLend(Standing standing, InetAddress address) {
        if (standing == Standing.STRANGER || lent + LARGE_BYTES > budget) {
            return false;
        }
        return standing == Standing.AUTHENTICATED
                || lentToGuests + LARGE_BYTES <= guestBudget && lentToAddress.getOrDefault(address, 0L) + LARGE_BYTES <= addressBudget;
    }

    /** A cleared large buffer, or null when {@link #mayLend} says no. */
    ByteBuffer large(Standing standing, InetAddress address) {
        if (!mayLend(standing, address)) {
            return null;
        }
        lent += LARGE_BYTES;
        if (standing == Standing.GUEST) {
            lentToGuests += LARGE_BYTES;
            lentToAddress.merge(address, (long) LARGE_BYTES, Long::sum);
        }
        ByteBuffer b = idleLarge.poll();
        return b != null ? b.clear() : ByteBuffer.allocate(LARGE_BYTES);
    }

    /** Takes back a buffer lent to a peer of {@code standing} at {@code address}. */
    void release(ByteBuffer b, Standing standing, InetAddress address) {
        if (b.capacity() == SMALL_BYTES) {
            if (idleSmall.size() < IDLE) {
                idleSmall.push(b.clear());
            }
            return;
        }
        lent -= LARGE_BYTES;
        if (standing == Standing.GUEST) {
            lentToGuests -= LARGE_BYTES;
            lentToAddress.computeIfPresent(address, (a, n) -> n == LARGE_BYTES ? null : n - LARGE_BYTES);
        }
        if (idleLarge.size() < IDLE) {
            idleLarge.push(b.clear());
        }
    }

    /** {@code connection} needs a large buffer it may not have yet: it gets one in its turn. */
    void await(Connection connection) {
        (connection.standing() == Standing.AUTHENTICATED ? waitingAgencies : waitingGuests).add(connection);
    }

    /** A connection that closed while in line leaves it. */
    void forget(Connection connection) {
        waitingAgencies.remove(connection);
        waitingGuests.remove(connection);
    }

    /** The connection that waited longest among those that may take a large buffer now, out of the line; null if none. */
    Connection nextServed() {
        if (lent + LARGE_BYTES > budget) {
            return null;
        }
        if (!waitingAgencies.isEmpty()) {
            Connection c = waitingAgencies.iterator().next();
            waitingAgencies.remove(c);
            return c;
        }
        if (lentToGuests + LARGE_BYTES > guestBudget) {
            return null;
        }
        for (Iterator<Connection> it = waitingGuests.iterator(); it.hasNext(); ) {
            Connection c = it.next();
            if (mayLend(c.standing(), c.address())) {
                it.remove();
                return c;
            }
        }
        return null;
    }

    int waitingCount() {
        return waitingAgencies.size() + waitingGuests.size();
    }
}
