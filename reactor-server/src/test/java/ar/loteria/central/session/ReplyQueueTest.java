package ar.loteria.central.session;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;

import ar.loteria.central.reactor.Connection;
import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mockito.InOrder;

/** Replies leave in the order of the requests, whatever order they become known in. */
class ReplyQueueTest {
    private final Connection connection = mock(Connection.class);
    private final ReplyQueue replies = new ReplyQueue(connection);

    @Test
    void aReplyKnownEarlyWaitsForTheRequestsBeforeIt() {
        ByteBuffer first = ByteBuffer.allocate(1);
        ByteBuffer third = ByteBuffer.allocate(3);
        ReplyQueue.Place a = replies.expect();
        ReplyQueue.Place b = replies.expect();
        ReplyQueue.Place c = replies.expect();
        c.frame(third);
        assertTrue(replies.flush());
        verify(connection, never()).send(third);
        a.frame(first);
        b.nothing(); // ALL_SENT: its place is kept, nothing is sent for it
        assertTrue(replies.flush());
        InOrder order = inOrder(connection);
        order.verify(connection).send(first);
        order.verify(connection).send(third);
        assertTrue(replies.isEmpty());
    }

    @Test
    void aLastWordClosesTheConnectionAndLaterPlacesAreNeverAnswered() {
        ByteBuffer failure = ByteBuffer.allocate(2);
        ByteBuffer later = ByteBuffer.allocate(4);
        ReplyQueue.Place last = replies.expect();
        replies.expect().frame(later);
        last.last(failure, "BAD_BET");
        assertFalse(replies.flush());
        verify(connection).send(failure);
        verify(connection).closeAfterFlush("BAD_BET");
        verify(connection, never()).send(later);
        assertTrue(replies.isEmpty());
    }

    @Test
    void aConnectionHoldsAtMostTheWindowOfUnansweredRequestsAndGetsRoomAsTheHeadIsAnswered() {
        ReplyQueue.Place head = replies.expect();
        for (int i = 1; i < ReplyQueue.MAX_UNANSWERED - 1; i++) {
            replies.expect();
        }
        assertFalse(replies.full());
        ReplyQueue.Place last = replies.expect();
        assertTrue(replies.full());
        last.nothing();
        assertTrue(replies.flush());
        assertTrue(replies.full(), "a reply known behind an unknown one frees no room");
        head.stream(List.<ByteBuffer>of().iterator());
        assertTrue(replies.flush());
        assertFalse(replies.full());
    }
}
