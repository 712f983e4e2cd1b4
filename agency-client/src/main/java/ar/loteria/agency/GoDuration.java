package ar.loteria.agency;

import java.time.Duration;

/** Durations as Go writes them ("100ms", "5s", "1m30s"), since the course's config files use them. */
final class GoDuration {
    private GoDuration() {
    }

    /** Parses what Go's {@code time.ParseDuration} accepts: "300ms", "1.5h", "2h45m", "0". */
    static Duration parse(String text) {
        String s = text;
        if (s.isEmpty()) {
            throw new IllegalArgumentException("empty duration");
        }
        boolean negative = false;
        if (s.charAt(0) == '-' || s.charAt(0) == '+') {
            negative = s.charAt(0) == '-';
            s = s.substring(1);
        }
        if (s.equals("0")) {
            return Duration.ZERO;
        }
        if (s.isEmpty()) {
            throw invalid(text);
        }
        long total = 0;
        int i = 0;
        while (i < s.length()) {
            int start = i;
            long whole = 0;
            while (i < s.length() && isDigit(s.charAt(i))) {
                try {
                    whole = Math.addExact(Math.multiplyExact(whole, 10), s.charAt(i++) - '0');
                } catch (ArithmeticException e) {
                    throw new IllegalArgumentException("duration out of range: \"" + text + "\"");
                }
            }
            boolean hasWhole = i > start;
            long fraction = 0;
            long scale = 1;
            boolean hasFraction = false;
            if (i < s.length() && s.charAt(i) == '.') {
                i++;
                int fractionStart = i;
                while (i < s.length() && isDigit(s.charAt(i))) {
                    if (scale < 1_000_000_000_000_000L) { // digits past 18 cannot matter in nanoseconds
                        fraction = fraction * 10 + (s.charAt(i) - '0');
                        scale *= 10;
                    }
                    i++;
                }
                hasFraction = i > fractionStart;
            }
            if (!hasWhole && !hasFraction) {
                throw invalid(text);
            }
            int unitStart = i;
            while (i < s.length() && s.charAt(i) != '.' && !isDigit(s.charAt(i))) {
                i++;
            }
            long unit = unitNanos(s.substring(unitStart, i), text);
            try {
                total = Math.addExact(total, Math.multiplyExact(whole, unit));
                total = Math.addExact(total, (long) ((double) fraction * unit / scale));
            } catch (ArithmeticException e) {
                throw new IllegalArgumentException("duration out of range: \"" + text + "\"");
            }
        }
        return Duration.ofNanos(negative ? -total : total);
    }

    /** ASCII only: Go's parser knows no other digits, nor should we. */
    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static long unitNanos(String unit, String text) {
        switch (unit) {
            case "ns":
                return 1L;
            case "us":
            case "\u00B5s":
            case "\u03BCs":
                return 1_000L;
            case "ms":
                return 1_000_000L;
            case "s":
                return 1_000_000_000L;
            case "m":
                return 60_000_000_000L;
            case "h":
                return 3_600_000_000_000L;
            case "":
                throw new IllegalArgumentException("missing unit in duration \"" + text + "\" (use ns, us, ms, s, m or h)");
            default:
                throw new IllegalArgumentException("unknown unit \"" + unit + "\" in duration \"" + text + "\"");
        }
    }

    private static IllegalArgumentException invalid(String text) {
        return new IllegalArgumentException("invalid duration \"" + text + "\"");
    }

    /** Formats as Go's {@code Duration.String} does: "100ms", "5s", "1m30s", "1h0m0s", "1.5s". */
    static String format(Duration duration) {
        long nanos = duration.toNanos();
        if (nanos == 0) {
            return "0s";
        }
        StringBuilder out = new StringBuilder();
        if (nanos < 0) {
            out.append('-');
            nanos = -nanos;
        }
        if (nanos < 1_000_000_000L) {
            if (nanos < 1_000L) {
                return out.append(nanos).append("ns").toString();
            }
            boolean micros = nanos < 1_000_000L;
            appendDecimal(out, nanos, micros ? 1_000L : 1_000_000L);
            return out.append(micros ? "\u00B5s" : "ms").toString();
        }
        long seconds = nanos / 1_000_000_000L;
        long hours = seconds / 3600;
        long minutes = seconds / 60 % 60;
        if (hours > 0) {
            out.append(hours).append('h');
        }
        if (hours > 0 || minutes > 0) {
            out.append(minutes).append('m');
        }
        appendDecimal(out, nanos % 60_000_000_000L, 1_000_000_000L);
        return out.append('s').toString();
    }

    /** {@code value / unit} with the fraction's trailing zeros dropped, and its point when nothing is left. */
    private static void appendDecimal(StringBuilder out, long value, long unit) {
        out.append(value / unit);
        long fraction = value % unit;
        if (fraction != 0) {
            String digits = Long.toString(fraction + unit).substring(1); // zero-padded to the unit's width
            int end = digits.length();
            while (digits.charAt(end - 1) == '0') {
                end--;
            }
            out.append('.').append(digits, 0, end);
        }
    }
}
