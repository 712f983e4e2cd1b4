package ar.loteria.central.reactor;

import java.net.InetAddress;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;

/**
 * Who is connected, from where, in order of arrival; and, when a cap is reached, whom a newcomer
 * displaces, so that a flood of strangers cannot lock agencies out (agencies behind one NAT share
 * an address, and a cap that refuses newcomers would lock them out with the flood). A newcomer
 * that finds a cap reached waits in the lobby, counted by no cap, until its first bytes: only
 * then does it displace someone, or get refused. A silent flood past a cap therefore displaces
 * no one, and so cannot set off the chain where each one displaced connects again at once and
 * displaces the next, at the flood's speed. When the lobby is full its oldest goes for the
 * newcomer. The one displaced is a stranger held unread (refused, or past its handshake
 * deadline), else the oldest connection that has not sent a byte, else the oldest not
 * authenticated: one that speaks at once outlives any number of silent ones, and has its
 * handshake deadline to authenticate. An authenticated connection is never displaced: past a
 * cap of those, the newcomer is refused. Reactor thread only.
 */
final class Roster {
    /**
     * What becomes of a connection that asks for a place: room for it, a connection to close
     * first, or a refusal; {@code cap} says which was reached.
     */
    record Verdict(Connection displaced, String cap) {
        static final Verdict ROOM = new Verdict(null, null);

        boolean refused() {
            return displaced == null && cap != null;
        }
    }

    /** The newcomer waits in the lobby, where {@code pushedOut} (the lobby's oldest, when full) makes room for it, if not null. */
    record Waiting(Connection pushedOut, String cap) {
    }

    /** The connections of one address, or of all. */
    private static final class Group {
        int count;
        /** In order of arrival, those that have sent nothing yet. */
        final LinkedHashSet<Connection> silent = new LinkedHashSet<>();
        /** In order of arrival, those not authenticated. */
        final LinkedHashSet<Connection> unproven = new LinkedHashSet<>();
        /** In the order they were held, strangers refused or past their handshake deadline, read no more. */
        final LinkedHashSet<Connection> held = new LinkedHashSet<>();

        /**
         * Who goes for a newcomer: the first stranger held, else the oldest connection silent past {@link #GRACE_NANOS}, else the
         * oldest not authenticated past it, else the oldest silent one; none (the newcomer is
         * refused) when every other connection is authenticated or a young stranger that spoke.
         * A connection is silent until the next turn reads it, and one mid-handshake is young:
         * a flood that speaks at once goes before an agency that just came, once it is a second
         * old; only a flood younger than that can still displace a newcomer, by its silence.
         */
        Connection displaceable(long now) {
            if (!held.isEmpty()) {
                return held.iterator().next(); // read no more, and past its handshake or refused: nothing of theirs is lost
            }
            Connection silentOne = silent.isEmpty() ? null : silent.iterator().next();
            if (silentOne != null && now - silentOne.acceptedNanos() > GRACE_NANOS) {
                return silentOne;
            }
            Connection unprovenOne = unproven.isEmpty() ? null : unproven.iterator().next();
            if (unprovenOne != null && now - unprovenOne.acceptedNanos() > GRACE_NANOS) {
                return unprovenOne;
            }
            return silentOne;
        }
    }

    /** How long a newcomer has to say who it is before it may be displaced for its silence or its lack of proof. */
    static final long GRACE_NANOS = 1_000_000_000L;

    private final Limits limits;
    private final int lobbySize;
    /** In order of arrival, newcomers that found a cap reached and have not spoken. */
    private final LinkedHashSet<Connection> lobby = new LinkedHashSet<>();
    private final Group all = new Group();
    private final Map<InetAddress, Group> byAddress = new HashMap<>();
    private final LinkedHashSet<Connection> connections = new LinkedHashSet<>();

    Roster(Limits limits) {
        this.limits = limits;
        this.lobbySize = limits.lobby();
    }

    /** Whether a newcomer from {@code address} finds room (null), or waits in the lobby until it speaks. */
    Waiting arrive(InetAddress address, long now) {
        Verdict verdict = admit(address, now);
        if (verdict.cap() == null) {
            return null;
        }
        return new Waiting(lobby.size() >= lobbySize ? lobby.iterator().next() : null, verdict.cap());
    }

    /** Whether a connection from {@code address} that asks for a place finds room, displaces someone, or is refused. */
    private Verdict admit(InetAddress address, long now) {
        Group own = byAddress.get(address);
        if (own != null && own.count >= limits.maxConnectionsPerIp()) {
            return verdict(own, "limit of " + limits.maxConnectionsPerIp() + " connections per address", now);
        }
        if (all.count >= limits.maxConnections()) {
            return verdict(all, "connection limit " + limits.maxConnections(), now);
        }
        return Verdict.ROOM;
    }

    private static Verdict verdict(Group group, String cap, long now) {
        return new Verdict(group.displaceable(now), cap);
    }

    /** In, with a place of its own. */
    void add(Connection c) {
        connections.add(c);
        place(c);
    }

    /** In, waiting in the lobby for its first bytes. */
    void addWaiting(Connection c) {
        connections.add(c);
        lobby.add(c);
    }

    private void place(Connection c) {
        for (Group g : new Group[] {all, byAddress.computeIfAbsent(c.address(), a -> new Group())}) {
            g.count++;
            g.silent.add(c);
            g.unproven.add(c);
        }
    }

    /**
     * Its first bytes arrived. One from the lobby asks for a place now: the verdict says whether
     * it has one (then it is placed, and whoever the verdict displaces must be closed) or is
     * refused (then it must be closed). Null for a connection that had a place.
     */
    Verdict spoke(Connection c, long now) {
        if (!lobby.remove(c)) {
            silenceOver(c);
            return null;
        }
        Verdict verdict = admit(c.address(), now);
        if (verdict.refused()) {
            connections.remove(c); // never counted: out before it is closed
        } else {
            place(c);
            silenceOver(c);
        }
        return verdict;
    }

    private void silenceOver(Connection c) {
        all.silent.remove(c);
        Group own = byAddress.get(c.address());
        if (own != null) {
            own.silent.remove(c);
        }
    }

    /** Its session vouched for it: it is never displaced. */
    void authenticated(Connection c) {
        silenceOver(c);
        all.unproven.remove(c);
        Group own = byAddress.get(c.address());
        if (own != null) {
            own.unproven.remove(c);
        }
    }

    /** A stranger held unread: the first to go for a newcomer. */
    void held(Connection c) {
        if (lobby.contains(c)) {
            return; // it frees no place: it waits its turn to be pushed out of the lobby
        }
        all.held.add(c);
        Group own = byAddress.get(c.address());
        if (own != null) {
            own.held.add(c);
        }
    }

    /** Whether it was here: it is not any more. */
    boolean remove(Connection c) {
        if (!connections.remove(c)) {
            return false;
        }
        if (lobby.remove(c)) {
            return true; // counted by no cap
        }
        authenticated(c);
        all.held.remove(c);
        Group own = byAddress.get(c.address());
        if (own != null) {
            own.held.remove(c);
        }
        all.count--;
        byAddress.computeIfPresent(c.address(), (a, g) -> --g.count == 0 ? null : g);
        return true;
    }

    int size() {
        return connections.size();
    }

    /** Every connection, in order of arrival, into {@code into} if it has room (then followed by a null), else into a new array. */
    Connection[] snapshot(Connection[] into) {
        return connections.toArray(into);
    }
}
