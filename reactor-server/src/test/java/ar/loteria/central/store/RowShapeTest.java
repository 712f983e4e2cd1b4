package ar.loteria.central.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The rows the store writes, names with commas, quotes and accents included, are counted; anything else is not. */
class RowShapeTest {
    private static byte[] rows() {
        CsvWriter w = new CsvWriter();
        w.field(1).field("Ana, María").field("O\"Neil").field("30904465").field("1999-03-17").field(7574).endRow();
        w.field(12).field("José").field("Núñez").field("1").field("1950-12-31").field(0).endRow();
        w.field(1).field("Eve").field("Paz").field("22").field("2000-01-01").field(1234).endRow();
        ByteBuffer b = w.buffer();
        byte[] bytes = new byte[b.remaining()];
        b.get(bytes);
        return bytes;
    }

    @Test
    void theStoresRowsAreCountedPerAgency() {
        byte[] b = rows();
        Map<Integer, Long> counted = new TreeMap<>();
        assertNull(RowShape.count(b, b.length, 0, counted));
        assertEquals(Map.of(1, 2L, 12, 1L), counted);
    }

    @Test
    void aRowCutShortOrChangedIsNotCounted() {
        byte[] b = rows();
        assertTrue(RowShape.count(b, b.length - 1, 100, new TreeMap<>()).startsWith("bets.csv does not hold whole rows at byte "));
        String s = new String(b, StandardCharsets.UTF_8).replace("1999-03-17", "1999/03/17");
        byte[] changed = s.getBytes(StandardCharsets.UTF_8);
        assertTrue(RowShape.count(changed, changed.length, 0, new TreeMap<>()).contains("the birthdate is not yyyy-MM-dd"));
    }
}
