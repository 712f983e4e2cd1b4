package ar.loteria.central.lottery;

import ar.loteria.central.CentralLog;
import ar.loteria.central.reactor.Connection;
import ar.loteria.central.reactor.Session;
import ar.loteria.central.store.Store;
import ar.loteria.central.store.Store.Outcome;
import ar.loteria.wire.AgencyMessage.AllSent;
import ar.loteria.wire.AgencyMessage.BetBatch;
import ar.loteria.wire.AgencyMessage.Hello;
import ar.loteria.wire.CentralMessage;
import ar.loteria.wire.CentralMessage.BatchAccepted;
import ar.loteria.wire.CentralMessage.BatchRejected;
import ar.loteria.wire.CentralMessage.Failure;
import ar.loteria.wire.CentralMessage.Winners;
import ar.loteria.wire.Decoded;
import ar.loteria.wire.ErrorCode;
import ar.loteria.wire.FrameDecoder;
import ar.loteria.wire.FrameEncoder;
import ar.loteria.wire.Message;
import ar.loteria.wire.WireError;
import java.nio.ByteBuffer;
import java.util.Iterator;
import java.util.List;

/**
 * An agency's protocol session. It handles one request at a time, in order: while a batch is
 * being stored or a winners query is parked, later frames wait in the connection's buffer, so
 * replies always leave in the order of the requests.
 */
final class AgencySession implements Session, WinnersListener {
    private enum Waiting {
        NOTHING,
        STORE,
        DRAW
    }

    private final Lottery lottery;
    private final Connection connection;
    private final FrameDecoder decoder = new FrameDecoder();
    private int agency;
    private Waiting waiting = Waiting.NOTHING;

    AgencySession(Lottery lottery, Connection connection) {
        this.lottery = lottery;
        this.connection = connection;
    }

    @Override
    public void onInput(Connection c, ByteBuffer input, boolean endOfInput) {
        while (waiting == Waiting.NOTHING && c.isOpen() && !c.backlogged()) {
            Decoded decoded = decoder.decode(input);
            if (decoded == null) {
                if (endOfInput) {
                    // A frame cut short by the peer's close is dropped: nothing of it was stored.
                    c.closeAfterFlush("peer closed");
                }
                return;
            }
            handle(decoded);
        }
    }

    private void handle(Decoded decoded) {
        if (decoded instanceof Decoded.Malformed) {
            fail(((Decoded.Malformed) decoded).error());
        } else if (decoded instanceof Decoded.InvalidBatch) {
            Decoded.InvalidBatch invalid = (Decoded.InvalidBatch) decoded;
            if (agency == 0) {
                fail(new WireError(ErrorCode.NOT_IDENTIFIED, "send HELLO first"));
                return;
            }
            lottery.log().batchRejected(agency, invalid.sequence(), invalid.count(), invalid.error());
            reply(new BatchRejected(invalid.sequence(), invalid.error()));
        } else {
            request(((Decoded.Valid) decoded).message());
        }
    }

    private void request(Message message) {
        if (message instanceof CentralMessage) {
            fail(new WireError(ErrorCode.UNEXPECTED_MESSAGE, message.type() + " is sent by the central, not by an agency"));
        } else if (message instanceof Hello) {
            hello(((Hello) message).agency());
        } else if (agency == 0) {
            fail(new WireError(ErrorCode.NOT_IDENTIFIED, "send HELLO first"));
        } else if (message instanceof BetBatch) {
            BetBatch batch = (BetBatch) message;
            waiting = Waiting.STORE;
            lottery.store().saveBatch(agency, batch, outcome -> connection.later(() -> batchSettled(batch, outcome)));
        } else if (message instanceof AllSent) {
            waiting = Waiting.STORE;
            lottery.store().markDone(agency, ((AllSent) message).lastSequence(), outcome -> connection.later(() -> doneSettled(outcome)));
        } else {
            waiting = Waiting.DRAW;
            lottery.draw().query(agency, this);
        }
    }

    private void hello(int id) {
        if (agency != 0) {
            fail(new WireError(ErrorCode.UNEXPECTED_MESSAGE, "already identified as agency " + agency));
        } else if (!lottery.draw().expected(id)) {
            fail(new WireError(ErrorCode.UNKNOWN_AGENCY, "agency " + id + " is not one of 1.." + lottery.draw().agencies()));
        } else {
            agency = id;
            lottery.agencies().bind(agency, connection);
            lottery.log().agencyConnected(agency, connection.ip());
        }
    }

    private void batchSettled(BetBatch batch, Outcome outcome) {
        waiting = Waiting.NOTHING;
        if (outcome instanceof Outcome.Stored) {
            reply(new BatchAccepted(batch.sequence(), ((Outcome.Stored) outcome).count()));
        } else if (outcome instanceof Outcome.AlreadyStored) {
            reply(new BatchAccepted(batch.sequence(), ((Outcome.AlreadyStored) outcome).count()));
        } else {
            reply(new BatchRejected(batch.sequence(), ((Outcome.Rejected) outcome).error()));
        }
        connection.processInput();
    }

    private void doneSettled(Outcome outcome) {
        waiting = Waiting.NOTHING;
        if (outcome instanceof Outcome.AgencyDone) {
            // Durable whether or not this connection is still there: the draw must hear of it.
            lottery.draw().agencyDone(agency, ((Outcome.AgencyDone) outcome).batches());
            connection.processInput();
        } else {
            fail(((Outcome.Rejected) outcome).error());
        }
    }

    @Override
    public void winners(List<String> documents) {
        waiting = Waiting.NOTHING;
        lottery.log().winnersSent(agency, documents.size()); // out before the answer can be read
        // Encoded frame by frame as the agency reads: a long list never sits whole in this connection.
        Iterator<Winners> frames = FrameEncoder.winnersFrames(documents).iterator();
        connection.send(new Iterator<ByteBuffer>() {
            @Override
            public boolean hasNext() {
                return frames.hasNext();
            }

            @Override
            public ByteBuffer next() {
                return FrameEncoder.encode(frames.next());
            }
        });
        connection.processInput();
    }

    @Override
    public void failed(WireError error) {
        waiting = Waiting.NOTHING;
        fail(error);
    }

    private void fail(WireError error) {
        lottery.log().protocolError(connection.ip(), agency, error);
        reply(new Failure(error));
        connection.closeAfterFlush(error.code().name());
    }

    private void reply(Message message) {
        connection.send(FrameEncoder.encode(message));
    }

    @Override
    public boolean mayIdleOut() {
        return waiting == Waiting.NOTHING;
    }

    @Override
    public void onClose(Connection c) {
        if (waiting == Waiting.DRAW) {
            lottery.draw().forget(this);
        }
        if (agency != 0) {
            lottery.agencies().unbind(agency, c);
        }
    }

    @Override
    public int agency() {
        return agency;
    }

    /** Tells the agency why it is cut off, so that it reconnects later instead of giving up. */
    @Override
    public void onShutdown(Connection c) {
        reply(new Failure(new WireError(ErrorCode.SHUTTING_DOWN, "the central is stopping; connect again later")));
    }
}
