package ar.loteria.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BetRulesTest {
    private static final LocalDate TODAY = LocalDate.of(2026, 6, 15);

    private static Optional<ErrorCode> check(String first, String last, String document, String birthdate, int number) {
        return BetRules.check(new Bet(first, last, document, birthdate, number), TODAY).map(WireError::code);
    }

    @Test
    void aTypicalBetOfTheCourseDatasetIsValid() {
        assertEquals(Optional.empty(), check("Santiago Lionel", "Lorca", "30904465", "1999-03-17", 7574));
        assertEquals(Optional.empty(), check("María José", "Fornerón", "00000042", "1985-12-01", 0));
    }

    @Test
    void namesAreCountedInBytesNotCharacters() {
        assertEquals(Optional.empty(), check("Ñ".repeat(32), "Paz", "1", "1990-01-01", 1)); // 64 bytes
        assertEquals(Optional.of(ErrorCode.INVALID_NAME), check("Ñ".repeat(33), "Paz", "1", "1990-01-01", 1)); // 66 bytes, 33 chars
        assertEquals(Optional.empty(), check("N".repeat(64), "Paz", "1", "1990-01-01", 1));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "Ana\u0000", "Ana\n", "Ana\r", "\u007F", "Ana\u0085", "Ana\uD800"})
    void emptyNamesControlCharactersAndBrokenUnicodeAreRefused(String name) {
        assertEquals(Optional.of(ErrorCode.INVALID_NAME), check(name, "Paz", "1", "1990-01-01", 1));
        assertEquals(Optional.of(ErrorCode.INVALID_NAME), check("Ana", name, "1", "1990-01-01", 1));
    }

    @Test
    void aCharacterBeyondTheBasicPlaneIsJudgedByItsCodePointNotByItsSurrogates() {
        String u2d800 = new String(Character.toChars(0x2D800)); // a CJK ideograph: high surrogate D876
        assertEquals(Optional.empty(), check("Ana" + u2d800, "Paz", "1", "1990-01-01", 1));
        assertEquals(Optional.empty(), check("😀", "𝄞", "1", "1990-01-01", 1));
        assertEquals(Optional.of(ErrorCode.INVALID_NAME), check("Ana\uDC00", "Paz", "1", "1990-01-01", 1), "a lone low surrogate");
    }

    @Test
    void theRulesOnBytesAgreeWithTheRulesOnText() {
        byte[] c1 = {'A', (byte) 0xC2, (byte) 0x85}; // U+0085, a C1 control
        assertEquals(ErrorCode.INVALID_NAME, BetRules.checkName("first name", c1, 0, c1.length).code());
        byte[] nbsp = {'A', (byte) 0xC2, (byte) 0xA0}; // U+00A0 is no control
        assertEquals(null, BetRules.checkName("first name", nbsp, 0, nbsp.length));
        byte[] surrogate = {(byte) 0xED, (byte) 0xA0, (byte) 0x80};
        assertEquals(ErrorCode.INVALID_UTF8, BetRules.checkName("first name", surrogate, 0, surrogate.length).code());
        byte[] date = "x1990-02-29".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        assertEquals("birthdate 1990-02-29 is not a real date", BetRules.checkBirthdate(date, 1, TODAY).reason());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "12345678901", "12a", " 12", "-1", "１２"})
    void documentsAreOneToTenAsciiDigits(String document) {
        assertEquals(Optional.of(ErrorCode.INVALID_DOCUMENT), check("Ana", "Paz", document, "1990-01-01", 1));
    }

    @Test
    void documentsKeepTheirLeadingZeros() {
        assertEquals(Optional.empty(), check("Ana", "Paz", "0000000001", "1990-01-01", 1));
    }

    @ParameterizedTest
    @ValueSource(strings = {"1990-02-29", "1900-02-29", "2023-04-31", "1990-13-01", "1990-00-10", "1990-01-00",
        "0000-01-01", "1990-1-01", "90-01-01", "1990/01/01", "1990-01-01T", "abcd-ef-gh", "2026-06-16", "2999-01-01"})
    void birthdatesAreRealIsoDatesNotInTheFuture(String birthdate) {
        assertEquals(Optional.of(ErrorCode.INVALID_BIRTHDATE), check("Ana", "Paz", "1", birthdate, 1));
    }

    @ParameterizedTest
    @ValueSource(strings = {"2000-02-29", "1996-02-29", "2026-06-15", "0001-01-01", "1999-12-31"})
    void leapDaysAndTodayAreFine(String birthdate) {
        assertEquals(Optional.empty(), check("Ana", "Paz", "1", birthdate, 1));
    }

    @Test
    void numbersRunFromZeroTo9999() {
        assertEquals(Optional.empty(), check("Ana", "Paz", "1", "1990-01-01", 9999));
        assertEquals(Optional.of(ErrorCode.INVALID_NUMBER), check("Ana", "Paz", "1", "1990-01-01", 10000));
        assertEquals(Optional.of(ErrorCode.INVALID_NUMBER), check("Ana", "Paz", "1", "1990-01-01", -1));
    }

    @Test
    void theReasonSaysWhichFieldAndWhy() {
        WireError error = BetRules.check(new Bet("Ana", "Paz", "1", "1990-02-30", 1), TODAY).orElseThrow();
        assertEquals("birthdate 1990-02-30 is not a real date", error.reason());
        assertTrue(BetRules.check(new Bet("Ana", "P\u0007z", "1", "1990-01-01", 1), TODAY).orElseThrow().reason().contains("U+0007"));
    }

    /**
     * Today is the date in UTC+14, the first zone to reach it, whatever zone the machine is set
     * to: a birthdate that is today anywhere is never in the future for the central.
     */
    @Test
    void todayIsTheDateWhereItCameFirstWhateverZoneTheClockIsIn() {
        for (String zone : new String[] {"UTC", "America/Argentina/Buenos_Aires", "Pacific/Kiritimati", "Pacific/Pago_Pago"}) {
            assertEquals(LocalDate.of(2024, 3, 10), BetRules.today(Clock.fixed(Instant.parse("2024-03-09T10:00:00Z"), ZoneId.of(zone))), zone);
            assertEquals(LocalDate.of(2024, 3, 10), BetRules.today(Clock.fixed(Instant.parse("2024-03-10T09:59:59Z"), ZoneId.of(zone))), zone);
            assertEquals(LocalDate.of(2024, 3, 11), BetRules.today(Clock.fixed(Instant.parse("2024-03-10T10:00:00Z"), ZoneId.of(zone))), zone);
        }
        // 22:00 of March 10th in Buenos Aires, already the 11th in Kiritimati: a birthdate of the 11th is not in the future.
        LocalDate today = BetRules.today(Clock.fixed(Instant.parse("2024-03-11T01:00:00Z"), ZoneId.of("America/Argentina/Buenos_Aires")));
        assertEquals(Optional.empty(), BetRules.check(new Bet("Ana", "Paz", "1", "2024-03-11", 1), today));
        assertEquals(ErrorCode.INVALID_BIRTHDATE, BetRules.check(new Bet("Ana", "Paz", "1", "2024-03-12", 1), today).orElseThrow().code());
    }
}
