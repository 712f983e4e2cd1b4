package ar.loteria.agency;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class GoDurationTest {

    @ParameterizedTest
    @CsvSource({
        "100ms, 100000000",
        "5s, 5000000000",
        "1m30s, 90000000000",
        "1.5h, 5400000000000",
        "2h45m, 9900000000000",
        "0, 0",
        "0m20s, 20000000000",
        "300us, 300000",
        "300µs, 300000",
        "7ns, 7",
        ".5s, 500000000",
        "1.s, 1000000000",
        "-1s, -1000000000"})
    void parsesWhatGoParses(String text, long nanos) {
        assertEquals(Duration.ofNanos(nanos), GoDuration.parse(text));
    }

    @ParameterizedTest
    @CsvSource({
        "100000000, 100ms",
        "5000000000, 5s",
        "90000000000, 1m30s",
        "3600000000000, 1h0m0s",
        "1500000000, 1.5s",
        "0, 0s",
        "1500000, 1.5ms",
        "2000, 2µs",
        "7, 7ns",
        "3723000000000, 1h2m3s",
        "60000000000, 1m0s"})
    void printsWhatGoPrints(long nanos, String text) {
        assertEquals(text, GoDuration.format(Duration.ofNanos(nanos)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "5", "s", "5x", "1h30", ".s", "--1s", "1.2.3s", "PT0.1S"})
    void refusesWhatGoRefuses(String text) {
        assertThrows(IllegalArgumentException.class, () -> GoDuration.parse(text));
    }

    @Test
    void tooManyDigitsAreAnInvalidSettingNotACrash() {
        assertThrows(IllegalArgumentException.class, () -> GoDuration.parse("99999999999999999999s"));
    }

    @Test
    void onlyAsciiDigitsMakeANumber() {
        assertThrows(IllegalArgumentException.class, () -> GoDuration.parse("٥s")); // an Arabic-Indic 5
        assertThrows(IllegalArgumentException.class, () -> GoDuration.parse("1٠ms"));
    }

    @Test
    void aHugeTimeoutBecomesTheLongestASocketTakesNotANegativeOne() {
        assertEquals(Integer.MAX_VALUE, AgencyConfig.timeoutMillis(GoDuration.parse("1000000h")));
        assertEquals(1, AgencyConfig.timeoutMillis(GoDuration.parse("1ns")), "never 0, which means forever");
    }
}
