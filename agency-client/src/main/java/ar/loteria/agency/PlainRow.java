package ar.loteria.agency;

import ar.loteria.agency.BetSource.RawBet;
import ar.loteria.wire.BetRules;
import java.time.LocalDate;

/**
 * A row of the bets file read in one pass over its bytes, as almost every row is written: no
 * quotes, no spaces around the document, the date or the number, nothing wrong. It accepts only
 * rows that {@link BetFile}'s field-by-field reading accepts, with the same fields; any other row
 * (quoted, blank, broken, or cut by the end of what was read so far) it leaves to that reading,
 * which also says what is wrong with it.
 */
final class PlainRow {
    private static final int MAX_NUMBER_DIGITS = 9;

    private PlainRow() {
    }

    /**
     * Reads the row at {@code from} into {@code bet}, its fields ranges of {@code buf}: where the
     * row ends (its '\n', or {@code limit} for a last row without one once the file has
     * {@code ended}), or -1 when it is not a row for this pass. {@code buf[limit]} must be '\n':
     * every scan stops there at the latest, so no byte past what was read is looked at.
     */
    static int read(byte[] buf, int from, int limit, boolean ended, LocalDate today, RawBet bet) {
        int firstEnd = name(buf, from);
        if (firstEnd < 0) {
            return -1;
        }
        int last = firstEnd + 1;
        int lastEnd = name(buf, last);
        if (lastEnd < 0) {
            return -1;
        }
        int document = lastEnd + 1;
        int i = document;
        byte b;
        while ((b = buf[i]) >= '0' && b <= '9') {
            i++;
        }
        if (b != ',' || i == document || i - document > BetRules.MAX_DOCUMENT_DIGITS) {
            return -1;
        }
        int documentEnd = i;
        int birthdate = ++i;
        while ((b = buf[i]) != ',' && b != '\n') {
            i++;
        }
        if (b != ',' || i - birthdate != BetRules.BIRTHDATE_LENGTH || BetRules.checkBirthdate(buf, birthdate, today) != null) {
            return -1;
        }
        int numberStart = ++i;
        int number = 0;
        while ((b = buf[i]) >= '0' && b <= '9') {
            number = number * 10 + (b - '0');
            i++;
        }
        if (i == numberStart || i - numberStart > MAX_NUMBER_DIGITS || number > BetRules.MAX_NUMBER) {
            return -1;
        }
        if (b == '\r') {
            b = buf[++i];
        }
        if (b != '\n' || i == limit && !ended) {
            return -1;
        }
        bet.bytes = buf;
        bet.first = from;
        bet.firstLength = firstEnd - from;
        bet.last = last;
        bet.lastLength = lastEnd - last;
        bet.document = document;
        bet.documentLength = documentEnd - document;
        bet.birthdate = birthdate;
        bet.number = number;
        return i;
    }

    /**
     * A name from {@code from} to its comma, checked by the protocol's rules: where the comma is,
     * or -1. ASCII is checked here byte by byte; a name with other bytes, by the rules' own check.
     */
    private static int name(byte[] buf, int from) {
        int i = from;
        boolean wide = false;
        byte b;
        while ((b = buf[i]) != ',') {
            if (b < 0x20) {
                if (b >= 0) {
                    return -1; // a control character, or the row ended ('\n') before its fields did
                }
                wide = true; // a byte of a multi-byte character
            } else if (b == '"' || b == 0x7F) {
                return -1;
            }
            i++;
        }
        int length = i - from;
        if (length == 0 || length > BetRules.MAX_NAME_BYTES
                || wide && BetRules.checkName("name", buf, from, length) != null) {
            return -1;
        }
        return i;
    }
}
