package ar.loteria.agency;

import ar.loteria.agency.Batches.Batch;
import ar.loteria.agency.Batches.SentBet;
import ar.loteria.wire.AgencyMessage.AllSent;
import ar.loteria.wire.AgencyMessage.WinnersQuery;
import ar.loteria.wire.CentralMessage;
import ar.loteria.wire.CentralMessage.BatchAccepted;
import ar.loteria.wire.CentralMessage.BatchRejected;
import ar.loteria.wire.CentralMessage.Welcome;
import ar.loteria.wire.CentralMessage.Winners;
import ar.loteria.wire.ErrorCode;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The agency: prove who it is, send every bet in batches with up to {@code batch.window} of them
 * waiting for their acknowledgement at once, say all is sent, ask for the winners and wait for
 * them. The central says at each connection how many bets it holds; the agency resumes from
 * there, resending what was not acknowledged, however often the connection drops, and the
 * central stores each bet once.
 */
final class AgencyRun {
    /** The run cannot go on, and the reason is logged already. */
    private static final class Ended extends Exception {
        private static final long serialVersionUID = 1L;

        Ended() {
            super(null, null, false, false);
        }
    }

    private final AgencyConfig config;
    private final AgencyLog log;
    private final Connector connector;
    private final Stop stop;
    private final Optional<byte[]> key;
    /** Sent, not yet acknowledged, in order. */
    private final ArrayDeque<Batch> window = new ArrayDeque<>();
    private CentralLink link;
    private Batches batches;
    private BetSource source;
    /** The offset of the next bet to read from the source. */
    private long next;
    private long batchesMade;
    private boolean exhausted;
    private int reported;

    AgencyRun(AgencyConfig config, AgencyLog log, Stop stop) {
        this.config = config;
        this.log = log;
        this.stop = stop;
        this.connector = new Connector(config, log, stop);
        this.key = config.key().map(k -> k.getBytes(StandardCharsets.UTF_8));
    }

    /** The most bets, and whether all sent, that a WELCOME ever said the central held; -1 before the first. */
    private long welcomedStored = -1;
    private boolean welcomedDone;

    /** winners.timeout passed with no answer on this connection: the draw has not run yet, which is no failure. */
    private static final class DrawStillPending extends IOException {
        private static final long serialVersionUID = 1L;

        DrawStillPending(SocketTimeoutException cause) {
            super("no winners yet after winners.timeout", cause);
        }
    }

    /** Runs to the end; the exit code. */
    int run(BetSource bets) throws Stop.Stopped {
        source = bets;
        batches = new Batches(bets, config.batchMaxAmount(), bets.single() || log.logsEachBet());
        if (key.isEmpty()) {
            log.noKey();
        }
        try {
            while (true) {
                try {
                    List<String> winners = overOneConnection();
                    log.winners(winners.size());
                    return 0;
                } catch (CentralLink.Refused e) {
                    if (e.error.code() == ErrorCode.REPLACED) {
                        log.replaced();
                    } else {
                        log.refused(e.error);
                    }
                    return 1;
                } catch (CentralLink.ProtocolException | Connector.Unreachable e) {
                    if (e instanceof CentralLink.ProtocolException) {
                        log.lost(e.getMessage());
                    }
                    return 1;
                } catch (DrawStillPending e) {
                    forgetLink(); // not a failure: ask again on a new connection, at once
                } catch (IOException e) {
                    stop.check();
                    forgetLink();
                    if (!connector.retryAfter(e)) { // connect.deadline passed without progress: logged
                        return 1;
                    }
                }
            }
        } catch (BadDataException e) {
            log.badData(config.dataFile().toString(), e.line(), e.getMessage());
        } catch (Ended e) {
            // logged where it happened
        } finally {
            closeLink();
        }
        return 1;
    }

    /** Everything that is left, over one connection: resume, send, say all sent, wait for the winners. */
    private List<String> overOneConnection() throws IOException, BadDataException, Ended, Stop.Stopped {
        link = new CentralLink(connector.connect());
        Welcome welcome = link.handshake(config.id(), key, config.replyTimeout());
        log.welcomed(welcome.stored(), welcome.done());
        if (welcome.stored() > welcomedStored || welcome.done() && !welcomedDone) {
            // Only news is progress: a central that welcomes and then fails on this agency's
            // next batch, again and again, must not keep it trying forever.
            connector.progressed();
        }
        welcomedStored = Math.max(welcomedStored, welcome.stored());
        welcomedDone |= welcome.done();
        resumeFrom(welcome.stored());
        sendAll();
        link.send(new AllSent(next), new WinnersQuery());
        link.flush();
        return winners();
    }

    /**
     * The central holds the first {@code stored} bets: what the window holds of them is
     * acknowledged; what is left of the window goes again; and bets the central holds that the
     * window never had (an agency restarted from nothing) are passed over in the file.
     */
    private void resumeFrom(long stored) throws IOException, BadDataException, Ended {
        while (!window.isEmpty() && window.peekFirst().end() <= stored) {
            for (SentBet bet : window.pollFirst().bets()) { // acknowledged by the WELCOME, on disk: say so as a reply would
                log.betSent(bet.document(), bet.number(), source.single());
            }
        }
        if (window.isEmpty() && next < stored) {
            long skipped = source.skip(stored - next);
            next += skipped;
            if (next < stored) {
                log.fileTooShort(config.dataFile().toString(), stored, next);
                throw new Ended();
            }
        }
        for (Batch batch : window) {
            link.send(batch.frame().duplicate());
        }
    }

    /** Keeps the window full and takes the acknowledgements as they come, until every bet is acknowledged. */
    private void sendAll() throws IOException, BadDataException, Ended, Stop.Stopped {
        while (true) {
            while (window.size() < config.batchWindow() && !exhausted) {
                Batch batch = batches.next(next);
                if (batch == null) {
                    exhausted = true;
                    break;
                }
                batchesMade++;
                next = batch.end();
                window.addLast(batch);
                link.send(batch.frame().duplicate());
            }
            link.flush();
            if (window.isEmpty()) {
                log.allSent(next, batchesMade);
                return;
            }
            acknowledged(link.receive(config.replyTimeout()));
            // Replies that came in the same read are taken before the window is refilled: one
            // write then carries a batch for each, not one write per reply.
            CentralMessage more;
            while (!window.isEmpty() && (more = link.receiveBuffered()) != null) {
                acknowledged(more);
            }
        }
    }

    private void acknowledged(CentralMessage reply) throws IOException, Ended, Stop.Stopped {
        Batch head = window.peekFirst();
        if (reply instanceof BatchRejected rejected && rejected.firstOffset() == head.first()) {
            log.batchRejected(head.first(), head.count(), rejected.error());
            throw new Ended();
        }
        if (!(reply instanceof BatchAccepted accepted) || accepted.firstOffset() != head.first() || accepted.count() != head.count()) {
            throw CentralLink.unexpected(reply);
        }
        window.pollFirst();
        connector.progressed();
        stop.check();
        for (SentBet bet : head.bets()) { // logged before anything else is sent
            log.betSent(bet.document(), bet.number(), source.single());
        }
        int percent = source.percentRead();
        if (percent / 10 > reported / 10 && percent < 100) {
            reported = percent;
            log.progress(accepted.stored(), batchesMade, percent);
        }
    }

    /** Every frame of the answer, waiting for the draw as long as {@code winners.timeout} allows on this connection. */
    private List<String> winners() throws IOException {
        List<String> documents = new ArrayList<>();
        while (true) {
            CentralMessage reply;
            try {
                reply = link.receive(config.winnersTimeout());
            } catch (SocketTimeoutException e) {
                if (documents.isEmpty()) {
                    throw new DrawStillPending(e);
                }
                throw e; // the answer stopped halfway: the central is in trouble
            }
            if (!(reply instanceof Winners frame)) {
                throw CentralLink.unexpected(reply);
            }
            documents.addAll(frame.documents());
            if (frame.last()) {
                return documents;
            }
        }
    }

    private void forgetLink() {
        if (link != null) {
            try {
                link.close();
            } catch (IOException ignored) {
                // it is gone either way
            }
            link = null;
        }
    }

    private void closeLink() {
        if (link != null) {
            forgetLink();
            log.closed("socket");
        }
    }
}
