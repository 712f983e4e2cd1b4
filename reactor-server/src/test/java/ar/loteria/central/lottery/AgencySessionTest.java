package ar.loteria.central.lottery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import ar.loteria.central.CentralLog;
import ar.loteria.central.Peer;
import ar.loteria.central.reactor.Connection;
import ar.loteria.wire.CentralMessage.BatchAccepted;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class AgencySessionTest {

    @Test
    void whileRepliesPileUpUnreadNoFurtherRequestIsTaken() {
        Connection connection = mock(Connection.class);
        when(connection.isOpen()).thenReturn(true);
        when(connection.backlogged()).thenReturn(true);
        AgencySession session = new AgencySession(new Lottery(null, null, new CentralLog()), connection);
        ByteBuffer input = ByteBuffer.wrap(Peer.bytes(new BatchAccepted(1, 1))); // a request that gets a reply

        session.onInput(connection, input, false);
        assertEquals(0, input.position(), "nothing taken while backlogged");
        verify(connection, never()).send(any(ByteBuffer.class));

        when(connection.backlogged()).thenReturn(false);
        session.onInput(connection, input, false);
        assertFalse(input.hasRemaining());
        verify(connection).send(any(ByteBuffer.class));
    }
}
