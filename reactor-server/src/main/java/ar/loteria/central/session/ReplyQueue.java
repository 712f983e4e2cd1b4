package ar.loteria.central.session;

import ar.loteria.central.reactor.Connection;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Iterator;

/**
 * Replies in the order of requests: each request takes a place at the end when it arrives, and
 * replies leave from the head as they become known, so an agency may pipeline its batches while
 * the journal forces earlier ones. Reactor thread only.
 */
final class ReplyQueue {
    /** Requests of one connection that may wait for their replies at once. */
    static final int MAX_UNANSWERED = 64;

    /** A request's place in the order of replies: unknown, then a frame, a stream, or nothing to send. */
    static final class Place {
        private boolean known;
        private ByteBuffer frame;
        private Iterator<ByteBuffer> frames;
        /** The connection closes once this reply is out. */
        private String closes;

        void frame(ByteBuffer reply) {
            frame = reply;
            known = true;
        }

        /** Frames encoded as the peer reads them. */
        void stream(Iterator<ByteBuffer> replies) {
            frames = replies;
            known = true;
        }

        void nothing() {
            known = true;
        }

        /** The connection's last word: later requests are never answered. */
        void last(ByteBuffer reply, String reason) {
            frame(reply);
            closes = reason;
        }
    }

    private final Connection connection;
    private final ArrayDeque<Place> places = new ArrayDeque<>();

    ReplyQueue(Connection connection) {
        this.connection = connection;
    }

    /** A new place at the end of the order of replies. */
    Place expect() {
        Place place = new Place();
        places.add(place);
        return place;
    }

    /** Sends the replies at the head of the order that are known: false if one of them closes the connection. */
    boolean flush() {
        while (!places.isEmpty() && places.peekFirst().known) {
            Place place = places.pollFirst();
            if (place.frame != null) {
                connection.send(place.frame);
            } else if (place.frames != null) {
                connection.stream(place.frames);
            }
            if (place.closes != null) {
                places.clear(); // later requests were never taken
                connection.closeAfterFlush(place.closes);
                return false;
            }
        }
        return true;
    }

    boolean isEmpty() {
        return places.isEmpty();
    }

    /** Whether the connection has as many requests unanswered as it may. */
    boolean full() {
        return places.size() >= MAX_UNANSWERED;
    }

    /** Forgets every place: nothing more is answered. */
    void clear() {
        places.clear();
    }
}
