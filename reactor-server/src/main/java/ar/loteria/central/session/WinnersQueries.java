package ar.loteria.central.session;

import ar.loteria.central.draw.WinnersListener;
import ar.loteria.central.reactor.Connection;
import ar.loteria.wire.CentralMessage.Winners;
import ar.loteria.wire.FrameEncoder;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * An agency's winners queries: each waits with the draw until the draw is over, and is answered in
 * its place in the order of replies, with the documents read from the draw's file as the agency
 * reads them.
 */
final class WinnersQueries {
    private final Connection connection;
    private final Lottery lottery;
    /** Sends the replies that became known. */
    private final Runnable flush;
    private final List<WinnersListener> parked = new ArrayList<>();

    WinnersQueries(Connection connection, Lottery lottery, Runnable flush) {
        this.connection = connection;
        this.lottery = lottery;
        this.flush = flush;
    }

    /** Asks the draw for the agency's winners, answered at {@code place}. */
    void ask(int agency, ReplyQueue.Place place) {
        WinnersListener listener = new WinnersListener() {
            @Override
            public void winners(long count, Iterator<String> documents) {
                parked.remove(this);
                // In this connection's own task: a failure answering it closes it, not the draw's turn.
                connection.later(() -> answer(agency, place, count, documents));
            }
        };
        parked.add(listener);
        lottery.draw.query(agency, listener);
    }

    /** The connection will answer nothing more: the draw must not answer here, nor log an answer as sent. */
    void forget() {
        parked.forEach(lottery.draw::forget);
        parked.clear();
    }

    /**
     * The documents are read from the draw's file frame by frame as the agency reads: never the
     * whole answer in memory. A read that fails closes this connection (the reactor's guard), and
     * the agency asks again on a new one.
     */
    private void answer(int agency, ReplyQueue.Place place, long count, Iterator<String> documents) {
        if (connection.isClosed()) {
            return; // nothing is encoded, nor said sent, for a connection gone meanwhile
        }
        lottery.log.winnersSent(agency, count); // out before the answer can be read
        Iterator<Winners> frames = FrameEncoder.winnersFrames(documents);
        place.stream(new Iterator<ByteBuffer>() { // encoded frame by frame, as the agency reads
            @Override
            public boolean hasNext() {
                return frames.hasNext();
            }

            @Override
            public ByteBuffer next() {
                return FrameEncoder.encode(frames.next());
            }
        });
        flush.run();
    }
}
