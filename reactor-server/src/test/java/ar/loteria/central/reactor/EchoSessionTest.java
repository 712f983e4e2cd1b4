package ar.loteria.central.reactor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import ar.loteria.central.CentralLog;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class EchoSessionTest {

    @Test
    void whileEchoesPileUpUnreadNoFurtherLineIsTaken() {
        Connection connection = mock(Connection.class);
        when(connection.isOpen()).thenReturn(true);
        when(connection.ip()).thenReturn("127.0.0.1");
        when(connection.backlogged()).thenReturn(false, true); // the first echo fills the backlog
        ByteBuffer input = ByteBuffer.wrap("one\ntwo\n".getBytes(StandardCharsets.US_ASCII));
        EchoSession echo = new EchoSession(new CentralLog());

        echo.onInput(connection, input, false);
        assertEquals(4, input.position(), "only the first line");

        when(connection.backlogged()).thenReturn(false);
        echo.onInput(connection, input, false);
        assertEquals(8, input.position());
        verify(connection, times(2)).send(any(ByteBuffer.class));
    }
}
