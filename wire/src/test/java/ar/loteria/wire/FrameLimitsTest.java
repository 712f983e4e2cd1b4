package ar.loteria.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ar.loteria.wire.AgencyMessage.BetBatch;
import ar.loteria.wire.AgencyMessage.Hello;
import ar.loteria.wire.CentralMessage.Winners;
import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The 8 KiB frame limit, and how many bets it leaves room for. */
class FrameLimitsTest {

    private static BetBatch worstCaseBatch(int bets) {
        return new BetBatch(1, IntStream.range(0, bets).mapToObj(WireArbitraries::worstCaseBet).toList());
    }

    @Test
    void aWorstCaseBetTakes153Bytes() {
        assertEquals(153, FrameEncoder.MAX_BET_BYTES);
        assertEquals(153, FrameEncoder.betBytes(WireArbitraries.worstCaseBet(1)));
    }

    @Test
    void fiftyThreeWorstCaseBetsFitInOneFrameAndFiftyFourDoNot() {
        assertEquals(8124, FrameEncoder.encode(worstCaseBatch(53)).remaining());
        FrameTooLargeException refused = assertThrows(FrameTooLargeException.class, () -> FrameEncoder.encode(worstCaseBatch(54)));
        assertEquals(8277, refused.frameBytes());
    }

    @Test
    void theEncoderRefusesAnOversizedFrameAndWritesNothing() {
        ByteBuffer out = ByteBuffer.allocate(16384);
        out.put((byte) 42);
        assertThrows(FrameTooLargeException.class, () -> FrameEncoder.encode(worstCaseBatch(54), out));
        assertEquals(1, out.position());
        List<String> documents = IntStream.range(0, 745).mapToObj(i -> String.format("%010d", i)).toList();
        assertThrows(FrameTooLargeException.class, () -> FrameEncoder.encode(new Winners(documents, true)));
        assertEquals(8192, FrameEncoder.frameBytes(new Winners(documents.subList(0, 744), true)), "744 ten-digit documents fill a frame exactly");
    }

    @Test
    void aBufferTooSmallIsLeftUntouched() {
        ByteBuffer out = ByteBuffer.allocate(6);
        assertThrows(BufferOverflowException.class, () -> FrameEncoder.encode(new Hello(1), out));
        assertEquals(0, out.position());
    }

    @Test
    void stringsTooLongForTheirLengthByteAreRefusedNotCut() {
        BetBatch batch = new BetBatch(1, List.of(new Bet("x".repeat(256), "Paz", "1", "1990-01-01", 1)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FrameEncoder.encode(batch));
        assertEquals("first name of bet 1 is 256 bytes; a string field holds at most 255", e.getMessage());
    }

    @Test
    void aLongWinnersListIsSplitIntoFramesThatEachFitAndOnlyTheLastIsFlagged() {
        List<String> documents = IntStream.range(0, 2000).mapToObj(i -> String.format("%010d", i)).toList();
        List<Winners> frames = new ArrayList<>();
        FrameEncoder.winnersFrames(documents.iterator()).forEachRemaining(frames::add);
        assertEquals(List.of(744, 744, 512), frames.stream().map(w -> w.documents().size()).toList());
        assertEquals(List.of(false, false, true), frames.stream().map(Winners::last).toList());
        frames.forEach(w -> assertEquals(true, FrameEncoder.frameBytes(w) <= Frame.MAX_FRAME_BYTES));
        assertEquals(documents, frames.stream().flatMap(w -> w.documents().stream()).toList());
    }

    @Test
    void noWinnersIsOneEmptyLastFrame() {
        Iterator<Winners> frames = FrameEncoder.winnersFrames(Collections.emptyIterator());
        assertEquals(new Winners(List.of(), true), frames.next());
        assertEquals(false, frames.hasNext());
    }
}
