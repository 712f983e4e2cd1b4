package ar.loteria.central.session;

import ar.loteria.central.draw.Draw;
import ar.loteria.central.reactor.Connection;
import ar.loteria.central.reactor.Limits;
import ar.loteria.central.reactor.Session;
import ar.loteria.central.reactor.SessionFactory;
import ar.loteria.central.store.Store;
import ar.loteria.wire.Frame;
import java.nio.ByteBuffer;
import java.security.SecureRandom;

/**
 * The application side of every connection: what agency sessions share (the store, the draw,
 * who is connected, the keys, the bytes in flight), and the choice of session by the first byte
 * a peer sends: the protocol's magic byte, or plain text for the echo.
 */
public final class Lottery implements SessionFactory {
    /** Bytes of batches on their way to disk, over all connections. */
    public static final long IN_FLIGHT_BYTES = Limits.memoryBudget();
    /** What one batch holds at most on its way to disk: an in-flight budget of this admits one batch at a time. */
    public static final long BATCH_IN_FLIGHT_BYTES = InFlightBudget.MAX_COST;

    final Store store;
    final Draw draw;
    final Agencies agencies;
    final AgencyKeys keys;
    final InFlightBudget budget;
    /** What sessions report to: the log, and the status view when it is on. */
    final SessionEvents log;
    final SecureRandom random = new SecureRandom();

    /** With at most {@code inFlightBytes} of batches on their way to disk at once (tests make it small). */
    public Lottery(Store store, Draw draw, AgencyKeys keys, SessionEvents log, long inFlightBytes) {
        this.store = store;
        this.draw = draw;
        this.agencies = new Agencies(log);
        this.keys = keys;
        this.log = log;
        this.budget = new InFlightBudget(inFlightBytes, log);
    }

    @Override
    public Session open(Connection connection) {
        return new FirstByte(connection);
    }

    /** Waits for the first byte, then hands everything to the session it calls for. */
    private final class FirstByte implements Session {
        private final Connection connection;
        private Session chosen;

        FirstByte(Connection connection) {
            this.connection = connection;
        }

        @Override
        public void onInput(ByteBuffer input, boolean endOfInput) {
            if (chosen == null) {
                if (!input.hasRemaining()) {
                    if (endOfInput) {
                        connection.closeAfterFlush("peer closed without a word");
                    }
                    return;
                }
                chosen = Frame.isFrameStart(input.get(input.position())) ? new AgencySession(connection, Lottery.this)
                        : new EchoSession(connection, log);
            }
            chosen.onInput(input, endOfInput);
        }

        @Override
        public void onWritable() {
            if (chosen != null) {
                chosen.onWritable();
            }
        }

        @Override
        public boolean mayIdleOut() {
            return chosen == null || chosen.mayIdleOut();
        }

        @Override
        public void onClose(String reason) {
            if (chosen != null) {
                chosen.onClose(reason);
            }
        }

        @Override
        public void onShutdown() {
            if (chosen != null) {
                chosen.onShutdown();
            } else {
                log.closedAtShutdown(connection.ip(), 0);
            }
        }
    }
}
