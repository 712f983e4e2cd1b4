package ar.loteria.central;

import ar.loteria.central.draw.Draw;
import ar.loteria.wire.WireError;

/**
 * Raises each event of the central's parts on the log, then on the status view: the line is out
 * before the figure changes, as it is before the event's effect leaves the process. Questions
 * (what returns an answer, as {@link CentralEvents#logsEachBet}) are the log's. Used only when the
 * status view is on; otherwise the parts talk to the log alone.
 *
 * <p>Written out, not a {@code java.lang.reflect.Proxy}: the proxy, and the method handles its
 * {@code Method.invoke} spun, loaded about 200 classes, 6.5 MiB of the central's memory, and
 * cost two reflective calls an event. {@code FanOutTest} fails if an event of the parts'
 * interfaces is not forwarded here.
 */
final class FanOut implements CentralEvents {
    private final CentralEvents log;
    private final CentralEvents status;

    private FanOut(CentralEvents log, CentralEvents status) {
        this.log = log;
        this.status = status;
    }

    static CentralEvents of(CentralEvents log, CentralEvents status) {
        return new FanOut(log, status);
    }

    @Override
    public void listening(String address) {
        log.listening(address);
        status.listening(address);
    }

    @Override
    public void accepted(String ip) {
        log.accepted(ip);
        status.accepted(ip);
    }

    @Override
    public void refused(String ip, String limit) {
        log.refused(ip, limit);
        status.refused(ip, limit);
    }

    @Override
    public void displaced(String ip, String newcomerIp, String limit) {
        log.displaced(ip, newcomerIp, limit);
        status.displaced(ip, newcomerIp, limit);
    }

    @Override
    public void outputShed(long heldBytes, long budgetBytes) {
        log.outputShed(heldBytes, budgetBytes);
        status.outputShed(heldBytes, budgetBytes);
    }

    @Override
    public void outputDrained(long heldBytes, int resumed) {
        log.outputDrained(heldBytes, resumed);
        status.outputDrained(heldBytes, resumed);
    }

    @Override
    public void acceptPaused(String error, long millis) {
        log.acceptPaused(error, millis);
        status.acceptPaused(error, millis);
    }

    @Override
    public void closed(String ip, String reason) {
        log.closed(ip, reason);
        status.closed(ip, reason);
    }

    @Override
    public void unexpected(String ip, RuntimeException error) {
        log.unexpected(ip, error);
        status.unexpected(ip, error);
    }

    @Override
    public void swept(long queuedReplyBytes) {
        log.swept(queuedReplyBytes);
        status.swept(queuedReplyBytes);
    }

    @Override
    public void echoed(String ip, byte[] line, int from, int to) {
        log.echoed(ip, line, from, to);
        status.echoed(ip, line, from, to);
    }

    @Override
    public void echoLineTooLong(String ip, int limit) {
        log.echoLineTooLong(ip, limit);
        status.echoLineTooLong(ip, limit);
    }

    @Override
    public void protocolError(String ip, int agency, WireError error) {
        log.protocolError(ip, agency, error);
        status.protocolError(ip, agency, error);
    }

    @Override
    public void authFailed(String ip, int claimed) {
        log.authFailed(ip, claimed);
        status.authFailed(ip, claimed);
    }

    @Override
    public void unknownAgency(String ip, int claimed, int agencies) {
        log.unknownAgency(ip, claimed, agencies);
        status.unknownAgency(ip, claimed, agencies);
    }

    @Override
    public void agencyConnected(int agency, String ip, long stored, boolean done) {
        log.agencyConnected(agency, ip, stored, done);
        status.agencyConnected(agency, ip, stored, done);
    }

    @Override
    public void agencyReplaced(int agency, String oldIp) {
        log.agencyReplaced(agency, oldIp);
        status.agencyReplaced(agency, oldIp);
    }

    @Override
    public void winnersSent(int agency, long winners) {
        log.winnersSent(agency, winners);
        status.winnersSent(agency, winners);
    }

    @Override
    public void closedAtShutdown(String ip, int agency) {
        log.closedAtShutdown(ip, agency);
        status.closedAtShutdown(ip, agency);
    }

    @Override
    public void agenciesConnected(int count) {
        log.agenciesConnected(count);
        status.agenciesConnected(count);
    }

    @Override
    public void inFlight(int batches, long bytes) {
        log.inFlight(batches, bytes);
        status.inFlight(batches, bytes);
    }

    @Override
    public void storeRecovered(long bets, long commits, int agenciesDone, long cutCommitBytes, long cutCsvBytes, String path) {
        log.storeRecovered(bets, commits, agenciesDone, cutCommitBytes, cutCsvBytes, path);
        status.storeRecovered(bets, commits, agenciesDone, cutCommitBytes, cutCsvBytes, path);
    }

    @Override
    public void groupLogging() {
        log.groupLogging();
        status.groupLogging();
    }

    @Override
    public void groupLogged() {
        log.groupLogged();
        status.groupLogged();
    }

    @Override
    public void batchStored(int agency, long first, int count, int fresh) {
        log.batchStored(agency, first, count, fresh);
        status.batchStored(agency, first, count, fresh);
    }

    @Override
    public void batchRejected(int agency, long first, int count, WireError error) {
        log.batchRejected(agency, first, count, error);
        status.batchRejected(agency, first, count, error);
    }

    @Override
    public boolean logsEachBet() {
        return log.logsEachBet(); // a question: the log answers it
    }

    @Override
    public void betStored(String document, int number, boolean alone) {
        log.betStored(document, number, alone);
        status.betStored(document, number, alone);
    }

    @Override
    public void storeFailed(String error) {
        log.storeFailed(error);
        status.storeFailed(error);
    }

    @Override
    public void agencyDone(int agency, long bets, int done, int expected) {
        log.agencyDone(agency, bets, done, expected);
        status.agencyDone(agency, bets, done, expected);
    }

    @Override
    public void winnersParked(int agency, int done, int expected) {
        log.winnersParked(agency, done, expected);
        status.winnersParked(agency, done, expected);
    }

    @Override
    public void drawn(long bets, long winners, long millis) {
        log.drawn(bets, winners, millis);
        status.drawn(bets, winners, millis);
    }

    @Override
    public void drawFailed(String error) {
        log.drawFailed(error);
        status.drawFailed(error);
    }

    @Override
    public void drawPhase(Draw.Phase phase, int agenciesDone) {
        log.drawPhase(phase, agenciesDone);
        status.drawPhase(phase, agenciesDone);
    }
}
