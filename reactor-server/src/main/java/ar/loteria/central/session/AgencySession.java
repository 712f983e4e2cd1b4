package ar.loteria.central.session;

import ar.loteria.central.draw.WinnersListener;
import ar.loteria.central.reactor.Connection;
import ar.loteria.central.store.Progress;
import ar.loteria.central.store.Outcome;
import ar.loteria.wire.AgencyMessage.AllSent;
import ar.loteria.wire.AgencyMessage.Hello;
import ar.loteria.wire.AgencyMessage.Proof;
import ar.loteria.wire.BatchReader;
import ar.loteria.wire.CentralMessage.BatchAccepted;
import ar.loteria.wire.CentralMessage.BatchRejected;
import ar.loteria.wire.CentralMessage.Challenge;
import ar.loteria.wire.CentralMessage.Failure;
import ar.loteria.wire.CentralMessage.Welcome;
import ar.loteria.wire.CentralMessage.Winners;
import ar.loteria.wire.Cut;
import ar.loteria.wire.Decoded;
import ar.loteria.wire.ErrorCode;
import ar.loteria.wire.Frame;
import ar.loteria.wire.FrameDecoder;
import ar.loteria.wire.FrameEncoder;
import ar.loteria.wire.Message;
import ar.loteria.wire.MessageType;
import ar.loteria.wire.WireError;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * An agency's protocol session: the handshake (HELLO, CHALLENGE, PROOF, WELCOME), then its
 * requests, many in flight at once. Each request takes a place in the queue of replies when it
 * arrives, and replies leave in that order as they become known, so an agency may pipeline its
 * batches while the journal forces earlier ones. Until the proof checks out, nothing the central
 * knows about any agency is told, and nothing is changed.
 */
final class AgencySession extends FrameSession {
    /** Requests of one connection that may wait for their replies at once. */
    static final int MAX_UNANSWERED = 64;
    /** The largest frame a peer may send before it is authenticated: a PROOF. */
    static final int MAX_HANDSHAKE_FRAME_BYTES = Frame.HEADER_BYTES + Proof.BYTES;

    private enum Stage {
        HELLO,
        PROOF,
        READY
    }

    /** Where the session stands with the room for batches on their way to disk (see {@link Admission}). */
    private enum Room {
        /** Takes a batch if there is room, or joins the line. */
        ASKS,
        /** In line, its batch at the head of the input. */
        WAITS,
        /** Room is kept for the batch at the head of its input. */
        GRANTED
    }

    /** A request's place in the order of replies: unknown, then a frame, a stream, or nothing to send. */
    private static final class Reply {
        private static final Object NOTHING = new Object();
        Object message;
        /** The connection closes once this reply is out. */
        String closes;
    }

    private final Lottery lottery;
    private final FrameDecoder decoder = new FrameDecoder();
    private final ArrayDeque<Reply> replies = new ArrayDeque<>();
    private final List<WinnersListener> parkedQueries = new ArrayList<>();
    private Stage stage = Stage.HELLO;
    private int claimed;
    private int agency;
    private byte[] nonce;
    /** No more requests are taken: a failure is on its way, or the peer closed its side. */
    private boolean ending;
    private Room room = Room.ASKS;

    AgencySession(Connection connection, Lottery lottery) {
        super(connection);
        this.lottery = lottery;
    }

    String ip() {
        return connection.ip();
    }

    @Override
    protected boolean takesRequests() {
        return !ending && room != Room.WAITS && replies.size() < MAX_UNANSWERED;
    }

    /**
     * A batch needs room on its way to disk: without room it waits in the input, and the session in
     * line, until room is kept for it. Only a batch in hand waits: a session that has sent
     * everything must not hold room for a batch that never comes (found by the benchmark of 10,000
     * agencies: enough of those and nobody could send).
     */
    @Override
    protected boolean admits(Cut.Whole frame) {
        if (frame.type() != MessageType.BET_BATCH || stage != Stage.READY || room == Room.GRANTED || lottery.admission.hasRoom()) {
            return true;
        }
        room = Room.WAITS;
        lottery.admission.await(this::admitted);
        return false;
    }

    /**
     * Before the proof, only the small handshake frames: anything else, or a frame longer than a
     * PROOF, is refused on its header, so that a stranger never makes the central wait for, or
     * make room for, a large frame.
     */
    @Override
    protected WireError refuses(MessageType type, int frameBytes) {
        if (stage == Stage.READY) {
            return null;
        }
        if (!type.fromAgency()) {
            return new WireError(ErrorCode.UNEXPECTED_MESSAGE, type + " is sent by the central, not by an agency");
        }
        if (type != MessageType.HELLO && type != MessageType.PROOF) {
            return notIdentified();
        }
        if (frameBytes > MAX_HANDSHAKE_FRAME_BYTES) {
            return new WireError(ErrorCode.TRAILING_BYTES, type + " of " + frameBytes + " bytes: before authentication a frame holds at most "
                    + MAX_HANDSHAKE_FRAME_BYTES);
        }
        return null;
    }

    @Override
    protected void frame(Cut.Whole frame) {
        try {
            handle(frame);
        } finally {
            giveBackRoom(); // after the batch, if it was granted, took its own share
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
            hello(hello.agency());
        } else if (message instanceof Proof proof) {
            proof(proof.mac());
        } else if (stage != Stage.READY) {
            fail(notIdentified());
        } else if (message instanceof AllSent allSent) {
            Reply reply = expect();
            lottery.store.markDone(agency, allSent.total(), outcome -> connection.later(() -> doneSettled(reply, outcome)));
        } else {
            winnersQuery();
        }
    }

    private void hello(int id) {
        if (stage != Stage.HELLO) {
            fail(new WireError(ErrorCode.UNEXPECTED_MESSAGE, "HELLO was said already"));
        } else { // any number gets a challenge: whether the agency exists is told to its key holder only
            claimed = id;
            nonce = new byte[Challenge.BYTES];
            lottery.random.nextBytes(nonce);
            stage = Stage.PROOF;
            connection.send(FrameEncoder.encode(new Challenge(nonce)));
        }
    }

    /**
     * The proof decides everything: a wrong one leaves no trace but a log line and a closed
     * connection, and a proof for an agency that does not exist gets the very same answer.
     */
    private void proof(byte[] mac) {
        if (stage != Stage.PROOF) {
            fail(stage == Stage.HELLO ? notIdentified() : new WireError(ErrorCode.UNEXPECTED_MESSAGE, "the agency is authenticated already"));
            return;
        }
        boolean proven = lottery.keys.verify(claimed, nonce, mac); // the same work for every claim
        if (!lottery.draw.expected(claimed)) {
            lottery.log.unknownAgency(connection.ip(), claimed, lottery.draw.agencies());
            fail(authFailed());
        } else if (!proven) {
            lottery.log.authFailed(connection.ip(), claimed);
            fail(authFailed());
        } else {
            agency = claimed;
            stage = Stage.READY;
            connection.authenticated();
            lottery.agencies.bind(agency, this);
            Progress progress = lottery.store.progress(agency);
            lottery.log.agencyConnected(agency, connection.ip(), progress.stored(), progress.done());
            connection.send(FrameEncoder.encode(new Welcome(progress.stored(), progress.done())));
        }
    }

    private void batch(ByteBuffer payload) {
        if (stage != Stage.READY) {
            fail(notIdentified());
            return;
        }
        byte[] bytes = new byte[payload.remaining()];
        payload.get(bytes);
        WireError prefix = BatchReader.checkPrefix(bytes, 0, bytes.length);
        if (prefix != null) {
            fail(prefix);
            return;
        }
        long cost = Admission.cost(bytes.length);
        lottery.admission.take(cost);
        Reply reply = expect();
        lottery.store.saveBatch(agency, bytes, outcome -> connection.later(() -> batchSettled(reply, cost, outcome)));
    }

    private boolean admitted() {
        if (!connection.isOpen() || ending) {
            return false;
        }
        room = Room.GRANTED;
        resume();
        return true;
    }

    private void winnersQuery() {
        Reply reply = expect();
        WinnersListener listener = new WinnersListener() {
            @Override
            public void winners(long count, Iterator<String> documents) {
                parkedQueries.remove(this);
                // In this connection's own task: a failure answering it closes it, not the draw's turn.
                connection.later(() -> answerWinners(reply, count, documents));
            }
        };
        parkedQueries.add(listener);
        lottery.draw.query(agency, listener);
    }

    /**
     * The documents are read from the draw's file frame by frame as the agency reads: never the
     * whole answer in memory. A read that fails closes this connection (the reactor's guard), and
     * the agency asks again on a new one.
     */
    private void answerWinners(Reply reply, long count, Iterator<String> documents) {
        if (connection.isClosed()) {
            return; // nothing is encoded, nor said sent, for a connection gone meanwhile
        }
        lottery.log.winnersSent(agency, count); // out before the answer can be read
        Iterator<Winners> frames = FrameEncoder.winnersFrames(documents);
        reply.message = new Iterator<ByteBuffer>() { // encoded frame by frame, as the agency reads
            @Override
            public boolean hasNext() {
                return frames.hasNext();
            }

            @Override
            public ByteBuffer next() {
                return FrameEncoder.encode(frames.next());
            }
        };
        flushReplies();
    }

    private void batchSettled(Reply reply, long cost, Outcome outcome) {
        lottery.admission.release(cost);
        if (connection.isClosed()) {
            return; // the outcome is logged and durable; there is nobody to encode a reply for
        }
        if (outcome instanceof Outcome.Accepted a) {
            reply.message = FrameEncoder.encode(new BatchAccepted(a.firstOffset(), a.count(), a.stored()));
        } else if (outcome instanceof Outcome.Rejected r) {
            reply.message = FrameEncoder.encode(new BatchRejected(r.firstOffset(), r.error()));
        } else {
            failWith(reply, ((Outcome.Unavailable) outcome).error());
        }
        flushReplies();
    }

    private void doneSettled(Reply reply, Outcome outcome) {
        if (outcome instanceof Outcome.Done done) {
            // Durable whether or not this connection is still there: the draw must hear of it.
            lottery.draw.agencyDone(agency, done.total());
            reply.message = Reply.NOTHING;
        } else if (connection.isClosed()) {
            return;
        } else if (outcome instanceof Outcome.Refused refused) {
            failWith(reply, refused.error());
        } else {
            failWith(reply, ((Outcome.Unavailable) outcome).error());
        }
        flushReplies();
    }

    /** A new place at the end of the order of replies. */
    private Reply expect() {
        Reply reply = new Reply();
        replies.add(reply);
        return reply;
    }

    /** Sends the replies at the head of the order that are known; takes requests again when there is room. */
    private void flushReplies() {
        while (!replies.isEmpty() && replies.peekFirst().message != null) {
            Reply reply = replies.pollFirst();
            if (reply.message instanceof ByteBuffer frame) {
                connection.send(frame);
            } else if (reply.message instanceof Iterator<?> stream) {
                @SuppressWarnings("unchecked")
                Iterator<ByteBuffer> frames = (Iterator<ByteBuffer>) stream;
                connection.stream(frames);
            }
            if (reply.closes != null) {
                replies.clear(); // later requests were never taken
                connection.closeAfterFlush(reply.closes);
                return;
            }
        }
        if (ending && replies.isEmpty()) {
            connection.closeAfterFlush("peer closed");
        } else if (takesRequests()) {
            resume();
        }
    }

    @Override
    protected void fail(WireError error) {
        end();
        failWith(expect(), error);
        flushReplies();
    }

    /** The reply is a FAILURE, after which the connection closes. Logged now, before it can leave. */
    private void failWith(Reply reply, WireError error) {
        if (error.code() != ErrorCode.SHUTTING_DOWN && error.code() != ErrorCode.AUTH_FAILED) { // those have lines of their own
            lottery.log.protocolError(connection.ip(), agency, error);
        }
        end();
        reply.message = FrameEncoder.encode(new Failure(error));
        reply.closes = error.code().name();
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
        giveBackRoom();
    }

    private void giveBackRoom() {
        if (room == Room.GRANTED) {
            room = Room.ASKS;
            lottery.admission.giveBack();
        }
    }

    /** A request before the handshake is over: what is missing is what the agency must send. */
    private WireError notIdentified() {
        return new WireError(ErrorCode.NOT_IDENTIFIED, stage == Stage.HELLO ? "send HELLO first" : "answer the CHALLENGE with PROOF first");
    }

    private static WireError authFailed() {
        return new WireError(ErrorCode.AUTH_FAILED, "authentication failed");
    }

    /**
     * A newer, authenticated connection of the same agency took over: this one is told so, then
     * closed, and answers nothing more. Without the word, a second copy of the agency would take
     * it for a dropped connection, reconnect and push the other off, forever.
     */
    void replaced() {
        end();
        replies.clear();
        forgetParkedQueries(); // now: a draw over while the connection drains would be logged as answered here
        if (connection.isOpen() && !connection.streaming()) { // not after its own last word, nor inside a streamed answer
            connection.send(FrameEncoder.encode(new Failure(new WireError(ErrorCode.REPLACED, "another connection of agency " + agency + " took over"))));
        }
        connection.closeAfterFlush("replaced by a new connection of agency " + agency);
    }

    @Override
    public boolean mayIdleOut() {
        return replies.isEmpty();
    }

    private void forgetParkedQueries() {
        parkedQueries.forEach(lottery.draw::forget);
        parkedQueries.clear();
    }

    @Override
    public void onClose(String reason) {
        giveBackRoom();
        forgetParkedQueries();
        if (agency != 0) {
            lottery.agencies.unbind(agency, this);
        }
    }

    /** Tells the agency why it is cut off, so that it reconnects later instead of giving up; never inside a streamed answer. */
    @Override
    public void onShutdown() {
        lottery.log.closedAtShutdown(connection.ip(), agency);
        if (!connection.streaming()) {
            connection.send(FrameEncoder.encode(new Failure(new WireError(ErrorCode.SHUTTING_DOWN, "the central is stopping; connect again later"))));
        }
    }
}
