package ar.loteria.wire;

import java.time.LocalDate;
import java.util.Optional;

/** What makes a bet valid. The agency and the central apply the same rules. */
public final class BetRules {
    public static final int MAX_NAME_BYTES = 64;
    public static final int MAX_DOCUMENT_DIGITS = 10;
    public static final int MAX_NUMBER = 9999;
    public static final int BIRTHDATE_LENGTH = "yyyy-MM-dd".length();

    private BetRules() {
    }

    /** The first rule {@code bet} breaks, or empty when it is valid; dates after {@code today} are in the future. */
    public static Optional<WireError> check(Bet bet, LocalDate today) {
        Optional<WireError> error = checkName("first name", bet.firstName());
        if (error.isEmpty()) {
            error = checkName("last name", bet.lastName());
        }
        if (error.isEmpty()) {
            error = checkDocument(bet.document());
        }
        if (error.isEmpty()) {
            error = checkBirthdate(bet.birthdate(), today);
        }
        if (error.isEmpty()) {
            error = checkNumber(bet.number());
        }
        return error;
    }

    /** Non-empty, at most 64 UTF-8 bytes, valid Unicode, no control characters. */
    public static Optional<WireError> checkName(String field, String name) {
        if (name.isEmpty()) {
            return fail(ErrorCode.INVALID_NAME, field + " is empty");
        }
        for (int i = 0; i < name.length(); ) {
            int cp = name.codePointAt(i);
            if (Character.isISOControl(cp)) {
                return fail(ErrorCode.INVALID_NAME, String.format("%s holds a control character U+%04X", field, cp));
            }
            if (Character.isSurrogate((char) cp)) {
                return fail(ErrorCode.INVALID_NAME, field + " holds a lone surrogate");
            }
            i += Character.charCount(cp);
        }
        int bytes = Utf8.encodedLength(name);
        if (bytes > MAX_NAME_BYTES) {
            return fail(ErrorCode.INVALID_NAME, field + " is " + bytes + " bytes long, at most " + MAX_NAME_BYTES);
        }
        return Optional.empty();
    }

    /** 1 to 10 ASCII digits. */
    public static Optional<WireError> checkDocument(String document) {
        if (document.isEmpty() || document.length() > MAX_DOCUMENT_DIGITS || !isDigits(document, 0, document.length())) {
            return fail(ErrorCode.INVALID_DOCUMENT, "document must be 1 to " + MAX_DOCUMENT_DIGITS + " digits: \"" + document + "\"");
        }
        return Optional.empty();
    }

    /** A real calendar date written {@code yyyy-MM-dd}, not after {@code today}. */
    public static Optional<WireError> checkBirthdate(String date, LocalDate today) {
        if (date.length() != BIRTHDATE_LENGTH || date.charAt(4) != '-' || date.charAt(7) != '-'
                || !isDigits(date, 0, 4) || !isDigits(date, 5, 7) || !isDigits(date, 8, 10)) {
            return fail(ErrorCode.INVALID_BIRTHDATE, "birthdate must be yyyy-MM-dd: \"" + date + "\"");
        }
        int year = Integer.parseInt(date, 0, 4, 10);
        int month = Integer.parseInt(date, 5, 7, 10);
        int day = Integer.parseInt(date, 8, 10, 10);
        if (year < 1 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
            return fail(ErrorCode.INVALID_BIRTHDATE, "birthdate " + date + " is not a real date");
        }
        if (compare(year, month, day, today) > 0) {
            return fail(ErrorCode.INVALID_BIRTHDATE, "birthdate " + date + " is in the future");
        }
        return Optional.empty();
    }

    /** 0 to 9999. */
    public static Optional<WireError> checkNumber(int number) {
        if (number < 0 || number > MAX_NUMBER) {
            return fail(ErrorCode.INVALID_NUMBER, "number must be 0 to " + MAX_NUMBER + ": " + number);
        }
        return Optional.empty();
    }

    private static boolean isDigits(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
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

    private static Optional<WireError> fail(ErrorCode code, String reason) {
        return Optional.of(new WireError(code, reason));
    }
}
