package ar.loteria.agency;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ar.loteria.wire.Bet;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BetFileTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-06-15T12:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path dir;

    private Path write(byte[] content) throws Exception {
        Path file = dir.resolve("agency-1.csv");
        Files.write(file, content);
        return file;
    }

    private static List<Bet> readAll(Path file) throws Exception {
        List<Bet> bets = new ArrayList<>();
        try (BetFile in = BetFile.open(file, CLOCK)) {
            for (BetSource.RawBet b = in.next(); b != null; b = in.next()) {
                bets.add(ListSource.toBet(b));
            }
        }
        return bets;
    }

    @Test
    void readsTheCoursesFormatWithCrlfAndAccents() throws Exception {
        Path file = write(("Santiago Lionel,Lorca,30904465,1999-03-17,7574\r\n"
                + "María José,Fornerón,00000042,1985-12-01,123\r\n"
                + "\"Ana, la del medio\",\"O\"\"Brien\",1,2000-02-29,0\n"
                + "\r\n"
                + "Último,Sin Fin De Línea,9,1990-01-01,9999").getBytes(StandardCharsets.UTF_8));
        assertEquals(List.of(
                new Bet("Santiago Lionel", "Lorca", "30904465", "1999-03-17", 7574),
                new Bet("María José", "Fornerón", "00000042", "1985-12-01", 123),
                new Bet("Ana, la del medio", "O\"Brien", "1", "2000-02-29", 0),
                new Bet("Último", "Sin Fin De Línea", "9", "1990-01-01", 9999)), readAll(file));
    }

    @Test
    void aMalformedLineIsReportedWithItsNumber() throws Exception {
        String good = "Ana,Paz,1,1990-01-01,1\r\n";
        record Case(String line, String message) {
        }
        List<Case> cases = List.of(
                new Case("Ana,Paz,1,1990-01-01\r\n", "expected 5 fields (first_name,last_name,document,birthdate,number), found 4"),
                new Case("Ana,Paz,1,1990-01-01,siete\r\n", "number is not an integer: \"siete\""),
                new Case("Ana,Paz,1,1990-02-30,1\r\n", "birthdate 1990-02-30 is not a real date"),
                new Case("Ana,Paz,12a,1990-01-01,1\r\n", "document must be 1 to 10 digits: \"12a\""),
                new Case("Ana,Paz,1,2030-01-01,1\r\n", "birthdate 2030-01-01 is in the future"),
                new Case("\"Ana,Paz,1,1990-01-01,1\r\n", "a quoted field is never closed"),
                new Case("Ana,Paz,1,1990-01-0,1\r\n", "birthdate must be yyyy-MM-dd: \"1990-01-0\""),
                new Case("Ana,Pa\u0007z,1,1990-01-01,1\r\n", "last name holds a control character U+0007"),
                new Case("Ana,Paz,1,1990-01-01,10000\r\n", "number must be 0 to 9999: 10000"));
        for (Case c : cases) {
            Path file = write((good + good + c.line() + good).getBytes(StandardCharsets.UTF_8));
            try (BetFile in = BetFile.open(file, CLOCK)) {
                in.next();
                in.next();
                BadDataException bad = assertThrows(BadDataException.class, in::next);
                assertEquals(3, bad.line(), c.line());
                assertEquals(c.message(), bad.getMessage());
            }
        }
    }

    @Test
    void invalidUtf8IsAMalformedLine() throws Exception {
        byte[] bad = {'A', 'n', (byte) 0xC3, ',', 'P', 'a', 'z', ',', '1', ',', '1', '9', '9', '0', '-', '0', '1', '-', '0', '1', ',', '1', '\n'};
        try (BetFile in = BetFile.open(write(bad), CLOCK)) {
            assertEquals("not valid UTF-8", assertThrows(BadDataException.class, in::next).getMessage());
        }
    }

    @Test
    void skippingPassesOverBetsNotBlankLines() throws Exception {
        Path file = write("A,B,1,1990-01-01,1\r\n\r\nC,D,2,1990-01-01,2\nE,F,3,1990-01-01,3\nG,H,4,1990-01-01,4".getBytes(StandardCharsets.UTF_8));
        try (BetFile in = BetFile.open(file, CLOCK)) {
            assertEquals(2, in.skip(2));
            assertEquals("3", in.next().document());
            in.unread();
            assertEquals(2, in.skip(5), "the bet given back counts, then the last");
            assertNull(in.next());
        }
    }

    /**
     * PROTOCOL.md, "What an offset counts": empty lines take no number, everything else does, a
     * header included (it is a malformed bet), and a line is named by its number in the file.
     */
    @Test
    void offsetsCountEveryLineThatHoldsAnythingAndErrorsNameTheLineOfTheFile() throws Exception {
        Path file = write("\r\nA,B,1,1990-01-01,1\n\n\nC,D,2,1990-01-01,2\r\n \r\nE,F,3,1990-01-01,3\n".getBytes(StandardCharsets.UTF_8));
        try (BetFile in = BetFile.open(file, CLOCK)) {
            assertEquals("1", in.next().document(), "bet 0, on line 2");
            assertEquals("2", in.next().document(), "bet 1, on line 5");
            BadDataException spaces = assertThrows(BadDataException.class, in::next);
            assertEquals(6, spaces.line(), "a line of spaces is not empty: it is a malformed bet");
        }
        try (BetFile in = BetFile.open(file, CLOCK)) {
            assertEquals(3, in.skip(3), "passing over bets the central holds counts the same lines, unchecked");
            assertEquals("3", in.next().document(), "bet 3");
        }
        Path withHeader = write("first_name,last_name,document,birthdate,number\nA,B,1,1990-01-01,1\n".getBytes(StandardCharsets.UTF_8));
        try (BetFile in = BetFile.open(withHeader, CLOCK)) {
            BadDataException header = assertThrows(BadDataException.class, in::next);
            assertEquals(1, header.line(), "there is no header row: line 1 is bet 0");
        }
    }

    /** The agency judges a birthdate as the central does (BetRules.today): it never sends a bet the central would call a future one. */
    @Test
    void aBirthdateIsJudgedByTheDateInUtcPlus14WhateverTheMachinesZone() throws Exception {
        Clock evening = Clock.fixed(Instant.parse("2024-03-11T01:00:00Z"), ZoneId.of("America/Argentina/Buenos_Aires")); // 22:00 of the 10th there
        Path file = write("Ana,Paz,1,2024-03-11,1\nAna,Paz,2,2024-03-12,1\n".getBytes(StandardCharsets.UTF_8));
        try (BetFile in = BetFile.open(file, evening)) {
            assertEquals("1", in.next().document(), "the 11th has come in UTC+14");
            assertEquals("birthdate 2024-03-12 is in the future", assertThrows(BadDataException.class, in::next).getMessage());
        }
    }

    @Test
    void aLineLongerThanTheLimitIsRefusedNotBuffered() throws Exception {
        Path file = write(("A,B,1,1990-01-01,1\n" + "x".repeat(5_000) + "\n").getBytes(StandardCharsets.UTF_8));
        try (BetFile in = BetFile.open(file, CLOCK)) {
            in.next();
            BadDataException bad = assertThrows(BadDataException.class, in::next);
            assertEquals(2, bad.line());
            assertEquals("line longer than 1024 bytes", bad.getMessage());
        }
    }

    @Test
    void progressFollowsTheBytesRead() throws Exception {
        StringBuilder content = new StringBuilder();
        for (int i = 0; i < 100; i++) {
            content.append("Ana,Paz,").append(String.format("%08d", i)).append(",1990-01-01,1\r\n");
        }
        try (BetFile in = BetFile.open(write(content.toString().getBytes(StandardCharsets.UTF_8)), CLOCK)) {
            for (int i = 0; i < 25; i++) {
                in.next();
            }
            assertEquals(25, in.percentRead());
            while (in.next() != null) {
                continue;
            }
            assertEquals(100, in.percentRead());
            assertNull(in.next());
        }
    }
}
