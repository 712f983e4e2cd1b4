package ar.loteria.agency;

import ar.loteria.wire.AgencyMessage.AllSent;
import ar.loteria.wire.AgencyMessage.BetBatch;
import ar.loteria.wire.AgencyMessage.Hello;
import ar.loteria.wire.AgencyMessage.WinnersQuery;
import ar.loteria.wire.Bet;
import ar.loteria.wire.CentralMessage;
import ar.loteria.wire.CentralMessage.BatchAccepted;
import ar.loteria.wire.CentralMessage.BatchRejected;
import ar.loteria.wire.CentralMessage.Failure;
import ar.loteria.wire.CentralMessage.Winners;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The agency: identify, send every bet in batches, say all is sent, ask for the winners and
 * wait for them. A dropped connection is reopened and the unacknowledged batch resent with its
 * sequence; the central stores it once however often it comes.
 */
final class AgencyRun {
    /** How often one request may be resent over a new connection before giving up. */
    private static final int MAX_RESENDS = 10;

    private final AgencyConfig config;
    private final AgencyLog log;
    private final Connector connector;
    private final Stop stop;
    private CentralLink link;

    /** The central refused something: the run cannot go on. */
    private static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;

        Refused() {
            super(null, null, false, false);
        }
    }

    AgencyRun(AgencyConfig config, AgencyLog log, Stop stop) {
        this.config = config;
        this.log = log;
        this.stop = stop;
        this.connector = new Connector(config, log, stop);
    }

    /** Runs to the end; the exit code. */
    int run(BetSource source) throws Stop.Stopped {
        try {
            link();
            Batches batches = new Batches(source, config.batchMaxAmount());
            long sequence = 0;
            long sent = 0;
            int reported = 0;
            for (List<Bet> batch = batches.next(); batch != null; batch = batches.next()) {
                sequence++;
                sendBatch(new BetBatch(sequence, batch), source.single());
                sent += batch.size();
                int percent = source.percentRead();
                if (percent / 10 > reported / 10 && percent < 100) {
                    reported = percent;
                    log.progress(sent, sequence, percent);
                }
            }
            log.allSent(sent, sequence);
            log.winners(winners(sequence).size());
            return 0;
        } catch (BadDataException e) {
            log.badData(config.dataFile().toString(), e.line(), e.getMessage());
        } catch (Refused | Connector.Unreachable e) {
            // already logged where it happened
        } catch (IOException e) {
            stop.check();
            log.lost(e.toString());
        } finally {
            closeLink();
        }
        return 1;
    }

    private void sendBatch(BetBatch batch, boolean single) throws IOException, Refused, Stop.Stopped {
        CentralMessage reply = exchange(link -> {
            link.send(batch);
            return link.receive(config.replyTimeout());
        });
        if (reply instanceof BatchAccepted && ((BatchAccepted) reply).sequence() == batch.sequence()) {
            if (single || log.logsEachBet()) {
                batch.bets().forEach(b -> log.betSent(b.document(), b.number(), single));
            }
            return;
        }
        if (reply instanceof BatchRejected) {
            log.batchRejected(batch.sequence(), batch.bets().size(), ((BatchRejected) reply).error());
        } else {
            refusedBy(reply);
        }
        throw new Refused();
    }

    /** Says all is sent and waits, as long as the draw takes, for every frame of the answer. */
    private List<String> winners(long lastSequence) throws IOException, Refused, Stop.Stopped {
        return exchange(link -> {
            link.send(new AllSent(lastSequence), new WinnersQuery());
            List<String> documents = new ArrayList<>();
            while (true) {
                CentralMessage reply = link.receive(Duration.ZERO);
                if (!(reply instanceof Winners)) {
                    refusedBy(reply);
                    throw new Refused();
                }
                documents.addAll(((Winners) reply).documents());
                if (((Winners) reply).last()) {
                    return documents;
                }
            }
        });
    }

    /** One request and its reply: safe to run again, whole, over a new connection. */
    private interface Exchange<T> {
        T over(CentralLink link) throws IOException, Refused;
    }

    /** Runs the exchange, over a new connection (and again) each time the one in use drops. */
    private <T> T exchange(Exchange<T> exchange) throws IOException, Refused, Stop.Stopped {
        for (int attempt = 0; ; attempt++) {
            try {
                return exchange.over(link());
            } catch (CentralLink.ProtocolException | Connector.Unreachable e) {
                throw e;
            } catch (IOException e) {
                dropped(e, attempt);
            }
        }
    }

    /** The connection in use; a new one, introduced with HELLO, when there is none. */
    private CentralLink link() throws IOException, Stop.Stopped {
        if (link == null) {
            link = new CentralLink(connector.connect());
            link.send(new Hello(config.id()));
        }
        return link;
    }

    /** The connection dropped (or the central said it is stopping): the next try opens a new one. */
    private void dropped(IOException e, int attempt) throws IOException, Stop.Stopped {
        stop.check();
        forgetLink();
        if (attempt >= MAX_RESENDS) {
            throw e;
        }
        log.reconnecting(e.toString());
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

    private void refusedBy(CentralMessage reply) {
        if (reply instanceof Failure) {
            log.refused(((Failure) reply).error());
        } else {
            log.lost("unexpected reply " + reply);
        }
    }

    private void closeLink() {
        if (link != null) {
            forgetLink();
            log.closed("socket");
        }
    }
}
