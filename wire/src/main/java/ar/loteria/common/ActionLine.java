package ar.loteria.common;

/**
 * The shape of every line the course's tests read:
 * {@code action: NAME | result: success|fail|in_progress} then {@code | key: value} pairs.
 * Each program builds all of its lines in one class on top of this one.
 */
public final class ActionLine {
    public enum Result {
        SUCCESS("success"),
        FAIL("fail"),
        IN_PROGRESS("in_progress");

        final String text;

        Result(String text) {
            this.text = text;
        }
    }

    private ActionLine() {
    }

    /** {@code keyValues} alternate key and value; values are cleaned so that no '|' or line break gets in. */
    public static String format(String action, Result result, Object... keyValues) {
        if (keyValues.length % 2 != 0) {
            throw new IllegalArgumentException("keys and values must pair up");
        }
        StringBuilder line = new StringBuilder(64).append("action: ").append(action).append(" | result: ").append(result.text);
        for (int i = 0; i < keyValues.length; i += 2) {
            line.append(" | ").append(keyValues[i]).append(": ");
            appendClean(line, String.valueOf(keyValues[i + 1]));
        }
        return line.toString();
    }

    /** A '|' would split the value in two for a reader of the line; control characters would break it. */
    private static void appendClean(StringBuilder line, String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            line.append(c == '|' ? '/' : Character.isISOControl(c) ? ' ' : c);
        }
    }
}
