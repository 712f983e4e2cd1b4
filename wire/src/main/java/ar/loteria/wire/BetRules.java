package ar.loteria.wire;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Optional;

/**
 * What makes a bet valid. The agency and the central apply the same rules, the central on the
 * bytes of the frame as they arrived (no String made for a valid bet), the agency on the bytes of
 * its file. The checks on bytes return the broken rule, or null when the field is valid.
 */
public final class BetRules {
    public static final int MAX_NAME_BYTES = 64;
    public static final int MAX_DOCUMENT_DIGITS = 10;
    public static final int MAX_NUMBER = 9999;
    public static final int BIRTHDATE_LENGTH = "yyyy-MM-dd".length();
    /**
     * Where "today" is for a birthdate: the first zone to reach each date. A date that has come
     * anywhere on Earth is not in the future, so a bet is never refused for the zone its agency or
     * the central happens to be set to (PROTOCOL.md, BET_BATCH).
     */
    public static final ZoneOffset TODAY_ZONE = ZoneOffset.ofHours(14);

    private BetRules() {
    }

    /** The latest birthdate allowed at the instant {@code clock} tells; the clock's own zone plays no part. */
    public static LocalDate today(Clock clock) {
        return LocalDate.ofInstant(clock.instant(), TODAY_ZONE);
    }

    /** The first rule {@code bet} breaks, or empty when it is valid; dates after {@code today} are in the future. */
    public static Optional<WireError> check(Bet bet, LocalDate today) {
        WireError error = checkName("first name", bet.firstName());
        if (error == null) {
            error = checkName("last name", bet.lastName());
        }
        if (error == null) {
            byte[] document = bet.document().getBytes(StandardCharsets.UTF_8);
            error = checkDocument(document, 0, document.length);
        }
        if (error == null) {
            byte[] birthdate = bet.birthdate().getBytes(StandardCharsets.UTF_8);
            error = birthdate.length == BIRTHDATE_LENGTH ? checkBirthdate(birthdate, 0, today) : badBirthdateFormat(bet.birthdate());
        }
        if (error == null) {
            error = checkNumber(bet.number());
        }
        return Optional.ofNullable(error);
    }

    /** A name given as text: a lone surrogate has no UTF-8 form, so it is refused before encoding. */
    private static WireError checkName(String field, String name) {
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < name.length() && Character.isLowSurrogate(name.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return new WireError(ErrorCode.INVALID_NAME, field + " holds a lone surrogate");
            }
        }
        byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
        return checkName(field, bytes, 0, bytes.length);
    }

    /**
     * Non-empty, at most 64 bytes, well-formed UTF-8 (see {@link Utf8#isValid}), no control
     * character (U+0000–U+001F, U+007F–U+009F).
     */
    public static WireError checkName(String field, byte[] b, int off, int len) {
        if (len == 0) {
            return new WireError(ErrorCode.INVALID_NAME, field + " is empty");
        }
        if (len > MAX_NAME_BYTES) {
            return new WireError(ErrorCode.INVALID_NAME, field + " is " + len + " bytes long, at most " + MAX_NAME_BYTES);
        }
        if (!Utf8.isValid(b, off, len)) {
            return new WireError(ErrorCode.INVALID_UTF8, field + " is not valid UTF-8");
        }
        int control = Utf8.firstControl(b, off, len);
        if (control >= 0) {
            return new WireError(ErrorCode.INVALID_NAME, String.format("%s holds a control character U+%04X", field, control));
        }
        return null;
    }

    /** Whether the bytes are well-formed UTF-8, as every string of the protocol must be. */
    public static boolean isUtf8(byte[] b, int off, int len) {
        return Utf8.isValid(b, off, len);
    }

    /** 1 to 10 ASCII digits. */
    public static WireError checkDocument(byte[] b, int off, int len) {
        if (len == 0 || len > MAX_DOCUMENT_DIGITS || !isDigits(b, off, off + len)) {
            return new WireError(ErrorCode.INVALID_DOCUMENT, "document must be 1 to " + MAX_DOCUMENT_DIGITS + " digits: \""
                    + Utf8.printable(b, off, len) + "\"");
        }
        return null;
    }

    /** The document given as text, for those who have one (the winners of a WINNERS frame, say). */
    public static WireError checkDocument(String document) {
        byte[] bytes = document.getBytes(StandardCharsets.UTF_8);
        return checkDocument(bytes, 0, bytes.length);
    }

    /** The ten bytes at {@code off}: a real calendar date written {@code yyyy-MM-dd}, not after {@code today}. */
    public static WireError checkBirthdate(byte[] b, int off, LocalDate today) {
        if (b[off + 4] != '-' || b[off + 7] != '-' || !isDigits(b, off, off + 4) || !isDigits(b, off + 5, off + 7) || !isDigits(b, off + 8, off + 10)) {
            return badBirthdateFormat(Utf8.printable(b, off, BIRTHDATE_LENGTH));
        }
        int year = number(b, off, 4);
        int month = number(b, off + 5, 2);
        int day = number(b, off + 8, 2);
        if (year < 1 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
            return new WireError(ErrorCode.INVALID_BIRTHDATE, "birthdate " + ascii(b, off) + " is not a real date");
        }
        if (compare(year, month, day, today) > 0) {
            return new WireError(ErrorCode.INVALID_BIRTHDATE, "birthdate " + ascii(b, off) + " is in the future");
        }
        return null;
    }

    /** 0 to 9999. */
    public static WireError checkNumber(int number) {
        if (number < 0 || number > MAX_NUMBER) {
            return new WireError(ErrorCode.INVALID_NUMBER, "number must be 0 to " + MAX_NUMBER + ": " + number);
        }
        return null;
    }

    private static WireError badBirthdateFormat(String date) {
        return new WireError(ErrorCode.INVALID_BIRTHDATE, "birthdate must be yyyy-MM-dd: \"" + date + "\"");
    }

    private static boolean isDigits(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] < '0' || b[i] > '9') {
                return false;
            }
        }
        return true;
    }

    private static int number(byte[] b, int off, int digits) {
        int n = 0;
        for (int i = off; i < off + digits; i++) {
            n = n * 10 + (b[i] - '0');
        }
        return n;
    }

    private static String ascii(byte[] b, int off) {
        return new String(b, off, BIRTHDATE_LENGTH, StandardCharsets.US_ASCII);
    }

    private static int daysInMonth(int year, int month) {
        switch (month) {
            case 2:
                boolean leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
                return leap ? 29 : 28;
            case 4:
            case 6:
            case 9:
            case 11:
                return 30;
            default:
                return 31;
        }
    }

    private static int compare(int year, int month, int day, LocalDate other) {
        int c = Integer.compare(year, other.getYear());
        if (c == 0) {
            c = Integer.compare(month, other.getMonthValue());
        }
        return c != 0 ? c : Integer.compare(day, other.getDayOfMonth());
    }
}
