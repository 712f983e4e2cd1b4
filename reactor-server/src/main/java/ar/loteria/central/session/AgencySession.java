package ar.loteria.central.session;

import ar.loteria.central.reactor.Connection;
import ar.loteria.central.store.Progress;
import ar.loteria.central.store.Outcome;
import ar.loteria.wire.AgencyMessage.AllSent;
import ar.loteria.wire.AgencyMessage.Hello;
import ar.loteria.wire.AgencyMessage.Proof;
import ar.loteria.wire.BatchReader;
import ar.loteria.wire.CentralMessage.BatchAccepted;
import ar.loteria.wire.CentralMessage.BatchRejected;
import ar.loteria.wire.CentralMessage.Failure;
import ar.loteria.wire.CentralMessage.Welcome;
import ar.loteria.wire.Cut;
import ar.loteria.wire.Decoded;
import ar.loteria.wire.ErrorCode;
import ar.loteria.wire.FrameDecoder;
import ar.loteria.wire.FrameEncoder;
import ar.loteria.wire.Message;
import ar.loteria.wire.MessageType;
import ar.loteria.wire.WireError;
import java.nio.ByteBuffer;

/**
 * An agency's protocol session: the {@link Handshake}, then its requests, many in flight at once,
 * each answered in its place in the {@link ReplyQueue}. A batch goes to the store once its
 * {@link BatchRoom} has room for it; a winners query waits with the draw among the
 * {@link WinnersQueries}. This class routes each message to its part and decides when the
 * connection ends.
 */
final class AgencySession extends FrameSession {
    private final Lottery lottery;
    private final FrameDecoder decoder = new FrameDecoder();
    private final Handshake handshake;
    private final ReplyQueue replies;
    private final BatchRoom room;
    private final WinnersQueries winners;
    /** No more requests are taken: a failure is on its way, or the peer closed its side. */
    private boolean ending;

    AgencySession(Connection connection, Lottery lottery) {
        super(connection);
        this.lottery = lottery;
        this.handshake = new Handshake(connection, lottery);
        this.replies = new ReplyQueue(connection);
        this.room = new BatchRoom(lottery.budget, () -> connection.isOpen() && !ending, this::resume);
        this.winners = new WinnersQueries(connection, lottery, this::flushReplies);
    }

    String ip() {
        return connection.ip();
    }

    @Override
    protected boolean takesRequests() {
        return !ending && !room.waits() && !replies.full();
    }

    @Override
    protected boolean admits(Cut.Whole frame) {
        return frame.type() != MessageType.BET_BATCH || !handshake.proven() || room.admits();
    }

    @Override
    protected WireError refuses(MessageType type, int frameBytes) {
        return handshake.refuses(type, frameBytes);
    }

    @Override
    protected void frame(Cut.Whole frame) {
        try {
            handle(frame);
        } finally {
            room.giveBack(); // after the batch, if it was granted, took its own share
        }
    }

    private void handle(Cut.Whole frame) {
        switch (frame.type()) {
            case BET_BATCH:
                batch(frame.payload());
                break;
            case HELLO:
            case PROOF:
            case ALL_SENT:
            case WINNERS_QUERY:
                Decoded decoded = decoder.decode(frame);
                if (decoded instanceof Decoded.Valid valid) {
                    request(valid.message());
                } else {
                    fail(((Decoded.Malformed) decoded).error());
                }
                break;
            default:
                fail(new WireError(ErrorCode.UNEXPECTED_MESSAGE, frame.type() + " is sent by the central, not by an agency"));
        }
    }

    private void request(Message message) {
        if (message instanceof Hello hello) {
            failIfAny(handshake.hello(hello.agency()));
        } else if (message instanceof Proof proof) {
            WireError refused = handshake.proof(proof.mac());
            if (refused != null) {
                fail(refused);
            } else {
                welcome();
            }
        } else if (!handshake.proven()) {
            fail(handshake.notIdentified());
        } else if (message instanceof AllSent allSent) {
            ReplyQueue.Place place = replies.expect();
            lottery.store.markDone(handshake.agency(), allSent.total(), outcome -> connection.later(() -> doneSettled(place, outcome)));
        } else {
            winners.ask(handshake.agency(), replies.expect());
        }
    }

    /** The agency is proven: this connection now speaks for it, and hears how far the central has it. */
    private void welcome() {
        int agency = handshake.agency();
        connection.authenticated();
        lottery.agencies.bind(agency, this);
        Progress progress = lottery.store.progress(agency);
        lottery.log.agencyConnected(agency, connection.ip(), progress.stored(), progress.done());
        connection.send(FrameEncoder.encode(new Welcome(progress.stored(), progress.done())));
    }

    private void batch(ByteBuffer payload) {
        if (!handshake.proven()) {
            fail(handshake.notIdentified());
            return;
        }
        WireError prefix = BatchReader.checkPrefix(payload);
        if (prefix != null) {
            fail(prefix);
            return;
        }
        long cost = room.take(payload.remaining());
        ReplyQueue.Place place = replies.expect();
        lottery.store.saveBatch(handshake.agency(), payload, outcome -> connection.later(() -> batchSettled(place, cost, outcome)));
    }

    private void batchSettled(ReplyQueue.Place place, long cost, Outcome outcome) {
        room.release(cost);
        if (connection.isClosed()) {
            return; // the outcome is logged and durable; there is nobody to encode a reply for
        }
        if (outcome instanceof Outcome.Accepted a) {
            place.frame(FrameEncoder.encode(new BatchAccepted(a.firstOffset(), a.count(), a.stored())));
        } else if (outcome instanceof Outcome.Rejected r) {
            place.frame(FrameEncoder.encode(new BatchRejected(r.firstOffset(), r.error())));
        } else {
            failWith(place, ((Outcome.Unavailable) outcome).error());
        }
        flushReplies();
    }

    private void doneSettled(ReplyQueue.Place place, Outcome outcome) {
        if (outcome instanceof Outcome.Done done) {
            // Durable whether or not this connection is still there: the draw must hear of it.
            lottery.draw.agencyDone(handshake.agency(), done.total());
            place.nothing();
        } else if (connection.isClosed()) {
            return;
        } else if (outcome instanceof Outcome.Refused refused) {
            failWith(place, refused.error());
        } else {
            failWith(place, ((Outcome.Unavailable) outcome).error());
        }
        flushReplies();
    }

    /** Sends the replies at the head of the order that are known; takes requests again when there is room. */
    private void flushReplies() {
        if (!replies.flush()) {
            return; // the last word went out
        }
        if (ending && replies.isEmpty()) {
            connection.closeAfterFlush("peer closed");
        } else if (takesRequests()) {
            resume();
        }
    }

    private void failIfAny(WireError error) {
        if (error != null) {
            fail(error);
        }
    }

    @Override
    protected void fail(WireError error) {
        end();
        failWith(replies.expect(), error);
        flushReplies();
    }

    /** The reply is a FAILURE, after which the connection closes. Logged now, before it can leave. */
    private void failWith(ReplyQueue.Place place, WireError error) {
        if (error.code() != ErrorCode.SHUTTING_DOWN && error.code() != ErrorCode.AUTH_FAILED) { // those have lines of their own
            lottery.log.protocolError(connection.ip(), handshake.agency(), error);
        }
        end();
        place.last(FrameEncoder.encode(new Failure(error)), error.code().name());
    }

    @Override
    protected void peerClosed() {
        end();
        flushReplies();
    }

    /**
     * Takes no more requests. Room kept for a batch that will now never be taken goes back (found
     * in review: a session that failed while in line was granted room and kept it, its FAILURE
     * waiting behind a parked winners query, so nobody else could send).
     */
    private void end() {
        ending = true;
        room.giveBack();
    }

    /**
     * A newer, authenticated connection of the same agency took over: this one is told so, then
     * closed, and answers nothing more. Without the word, a second copy of the agency would take
     * it for a dropped connection, reconnect and push the other off, forever.
     */
    void replaced() {
        int agency = handshake.agency();
        end();
        replies.clear();
        winners.forget(); // now: a draw over while the connection drains would be logged as answered here
        if (connection.isOpen() && !connection.streaming()) { // not after its own last word, nor inside a streamed answer
            connection.send(FrameEncoder.encode(new Failure(new WireError(ErrorCode.REPLACED, "another connection of agency " + agency + " took over"))));
        }
        connection.closeAfterFlush("replaced by a new connection of agency " + agency);
    }

    @Override
    public boolean mayIdleOut() {
        return replies.isEmpty();
    }

    @Override
    public void onClose(String reason) {
        room.giveBack();
        winners.forget();
        if (handshake.proven()) {
            lottery.agencies.unbind(handshake.agency(), this);
        }
    }

    /** Tells the agency why it is cut off, so that it reconnects later instead of giving up; never inside a streamed answer. */
    @Override
    public void onShutdown() {
        lottery.log.closedAtShutdown(connection.ip(), handshake.agency());
        if (!connection.streaming()) {
            connection.send(FrameEncoder.encode(new Failure(new WireError(ErrorCode.SHUTTING_DOWN, "the central is stopping; connect again later"))));
        }
    }
}
