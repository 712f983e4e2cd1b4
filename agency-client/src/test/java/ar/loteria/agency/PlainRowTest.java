package ar.loteria.agency;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The one-pass reading of plain rows ({@link PlainRow}) changes nothing an agency sends or says:
 * over the same file, the frames are byte for byte those of the line-by-line reading, and a bad
 * row stops both at the same line with the same words.
 */
class PlainRowTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-06-15T12:00:00Z"), ZoneOffset.UTC);
    private static final String[] NAMES = {"Ana", "María José", "Nicolás", "Ñandú", "O'Brien", "Zoë", "李", "😀 Emoji", "x".repeat(64),
        "é".repeat(32)};

    @TempDir
    Path dir;

    /** What reading a file gives: its frames in hex, then how it ended. */
    private String outcome(Path file, boolean plainRows, int maxAmount) throws Exception {
        StringBuilder out = new StringBuilder();
        try (BetFile source = plainRows ? BetFile.open(file, CLOCK) : BetFile.lineByLine(file, CLOCK)) {
            Batches batches = new Batches(source, maxAmount, false);
            long next = 0;
            for (Batches.Batch batch = batches.next(next); batch != null; batch = batches.next(next)) {
                ByteBuffer frame = batch.frame();
                out.append(HexFormat.of().formatHex(frame.array(), frame.arrayOffset() + frame.position(), frame.arrayOffset() + frame.limit()))
                        .append('\n');
                next = batch.end();
            }
            out.append("end at ").append(next).append(", read ").append(source.percentRead()).append('%');
        } catch (BadDataException e) {
            out.append("bad line ").append(e.line()).append(": ").append(e.getMessage());
        }
        return out.toString();
    }

    private void assertSameOutcome(byte[] content) throws Exception {
        assertSameOutcome(content, 53);
    }

    private void assertSameOutcome(byte[] content, int maxAmount) throws Exception {
        Path file = dir.resolve("agency.csv");
        Files.write(file, content);
        String expected = outcome(file, false, maxAmount);
        assertEquals(expected, outcome(file, true, maxAmount), () -> "for the file:\n" + new String(content, StandardCharsets.UTF_8));
    }

    private static String row(SplittableRandom random) {
        return NAMES[random.nextInt(NAMES.length)] + "," + NAMES[random.nextInt(NAMES.length)] + ","
                + random.nextLong(1, 10_000_000_000L) + "," + (1900 + random.nextInt(125)) + "-0" + random.nextInt(1, 10) + "-"
                + (10 + random.nextInt(19)) + "," + random.nextInt(10_000) + (random.nextInt(4) == 0 ? "\n" : "\r\n");
    }

    @Test
    void largeFilesGiveTheSameFramesWhereverTheBufferCutsARow() throws Exception {
        for (int seed = 0; seed < 40; seed++) { // 40 files of three buffers and more: rows cut at 120 places
            SplittableRandom random = new SplittableRandom(seed);
            StringBuilder content = new StringBuilder();
            while (content.length() < 140_000) {
                content.append(row(random));
            }
            content.setLength(content.length() - 1); // the last row without its '\n' (or with a lone '\r')
            assertSameOutcome(content.toString().getBytes(StandardCharsets.UTF_8));
        }
    }

    @Test
    void rowsAtTheEdgeOfTheRulesGiveTheSameFramesOrTheSameError() throws Exception {
        String good = "Ana,Paz,1,1990-01-01,1\r\n";
        List<String> rows = List.of(
                "Ana,Paz,1,1990-01-01,000009999", "Ana,Paz,1,1990-01-01,0000009999", "Ana,Paz,1,1990-01-01,10000",
                "Ana,Paz,1234567890,1990-01-01,1", "Ana,Paz,12345678901,1990-01-01,1", "Ana,Paz,,1990-01-01,1",
                "Ana,Paz, 1 ,\t1990-01-01 , 7 ", "Ana,Paz,1,2000-02-29,1", "Ana,Paz,1,1900-02-29,1", "Ana,Paz,1,2026-06-16,1",
                "Ana,Paz,1,2026-06-15,1", "Ana,Paz,1,0000-01-01,1", "Ana,Paz,1,1990-1-01,1", "Ana,Paz,1,1990/01/01,1",
                "x".repeat(64) + ",Paz,1,1990-01-01,1", "x".repeat(65) + ",Paz,1,1990-01-01,1", ",Paz,1,1990-01-01,1",
                "é".repeat(32) + ",Paz,1,1990-01-01,1", "é".repeat(33) + ",Paz,1,1990-01-01,1", "Ana\u0085,Paz,1,1990-01-01,1",
                "Ana\u007f,Paz,1,1990-01-01,1", "An\ta,Paz,1,1990-01-01,1", "Ana\r,Paz,1,1990-01-01,1", " Ana ,Paz,1,1990-01-01,1",
                "\"Ana, la del medio\",\"O\"\"Brien\",1,1990-01-01,1", "An\"a,Paz,1,1990-01-01,1", "Ana,Paz,1,1990-01-01,1,",
                "Ana,Paz,1,1990-01-01", "Ana,Paz,1,1990-01-01,1\r\r", "Ana,Paz,1,1990-01-01,+1", "Ana,Paz,1,1990-01-01,-1",
                "Ana,Paz,٣,1990-01-01,1", "\uD83D\uDE00,Paz,1,1990-01-01,1", "", "\r", " ", "x".repeat(2000));
        for (String row : rows) {
            for (String end : List.of("\r\n", "\n", "")) {
                assertSameOutcome((good + row + end + good).getBytes(StandardCharsets.UTF_8));
                assertSameOutcome((good + row + end).getBytes(StandardCharsets.UTF_8));
            }
        }
    }

    @Test
    void brokenBytesAnywhereGiveTheSameFramesOrTheSameError() throws Exception {
        SplittableRandom random = new SplittableRandom(11);
        byte[] noise = {',', '"', '\r', '\n', ' ', '\t', 0, 0x7F, (byte) 0xC2, (byte) 0x85, (byte) 0xC3, (byte) 0xA9, (byte) 0xED,
            (byte) 0xA0, (byte) 0xF4, (byte) 0x90, (byte) 0xFF, '0', '9', '-', 'a'};
        for (int trial = 0; trial < 3000; trial++) {
            StringBuilder content = new StringBuilder();
            for (int r = random.nextInt(1, 6); r > 0; r--) {
                content.append(row(random));
            }
            byte[] bytes = content.toString().getBytes(StandardCharsets.UTF_8);
            for (int k = random.nextInt(1, 3); k > 0; k--) {
                bytes[random.nextInt(bytes.length)] = noise[random.nextInt(noise.length)];
            }
            assertSameOutcome(bytes);
        }
    }

    @Test
    void aFullFrameIsCutWhereTheLineByLineReadingCutsIt() throws Exception {
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        for (int i = 0; i < 300; i++) { // worst-case rows: 53 fit in a frame, not 100
            content.writeBytes(("n".repeat(64) + "," + "l".repeat(64) + ",1234567890,1990-01-01,9999\r\n").getBytes(StandardCharsets.US_ASCII));
        }
        assertSameOutcome(content.toByteArray(), 100);
    }
}
