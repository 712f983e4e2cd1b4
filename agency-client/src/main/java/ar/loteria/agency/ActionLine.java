package ar.loteria.agency;

/**
 * The shape of every line the course's tests read:
 * {@code action: NAME | result: success|fail|in_progress} then {@code | key: value} pairs.
 */
final class ActionLine {
    enum Result {
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
    static String format(String action, Result result, Object... keyValues) {
        if (keyValues.length % 2 != 0) {
            throw new IllegalArgumentException("keys and values must pair up");
        }
        StringBuilder line = new StringBuilder(64).append("action: ").append(action).append(" | result: ").append(result.text);
        for (int i = 0; i < keyValues.length; i += 2) {
            line.append(" | ").append(keyValues[i]).append(": ");
            String value = String.valueOf(keyValues[i + 1]);
            for (int k = 0; k < value.length(); k++) {
                char c = value.charAt(k);
                line.append(c == '|' ? '/' : Character.isISOControl(c) ? ' ' : c);
            }
        }
        return line.toString();
    }
}
