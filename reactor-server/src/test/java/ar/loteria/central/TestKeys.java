package ar.loteria.central;

import java.nio.charset.StandardCharsets;

/** The agencies' keys in tests: well known, at least 16 characters. */
public final class TestKeys {
    private TestKeys() {
    }

    public static String of(int agency) {
        return "test-key-of-agency-" + agency;
    }

    public static byte[] bytes(int agency) {
        return of(agency).getBytes(StandardCharsets.UTF_8);
    }
}
