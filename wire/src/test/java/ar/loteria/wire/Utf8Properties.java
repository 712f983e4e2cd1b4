package ar.loteria.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class Utf8Properties {

    /** Byte soup biased toward the edges of UTF-8: lead bytes, continuations, cut sequences. */
    @Provide
    Arbitrary<byte[]> nearlyUtf8() {
        Arbitrary<Byte> interesting = Arbitraries.of(
                (byte) 0x41, (byte) 0x7F, (byte) 0x80, (byte) 0xBF, (byte) 0xC0, (byte) 0xC1, (byte) 0xC2, (byte) 0xDF,
                (byte) 0xE0, (byte) 0xA0, (byte) 0x9F, (byte) 0xED, (byte) 0xEF, (byte) 0xF0, (byte) 0x90, (byte) 0x8F,
                (byte) 0xF4, (byte) 0xF5, (byte) 0xFF);
        return Arbitraries.oneOf(interesting, Arbitraries.bytes()).list().ofMaxSize(12)
                .map(list -> {
                    byte[] out = new byte[list.size()];
                    for (int i = 0; i < out.length; i++) {
                        out[i] = list.get(i);
                    }
                    return out;
                });
    }

    @Property(tries = 20000)
    void validationAgreesWithTheJdksStrictDecoder(@ForAll("nearlyUtf8") byte[] bytes) {
        assertEquals(jdkAccepts(bytes), Utf8.isValid(bytes, 0, bytes.length));
    }

    @Property(tries = 2000)
    void encodingAgreesWithTheJdk(@ForAll("text") String s) {
        byte[] jdk = s.getBytes(StandardCharsets.UTF_8);
        assertEquals(jdk.length, Utf8.encodedLength(s));
        ByteBuffer out = ByteBuffer.allocate(jdk.length);
        Utf8.encode(s, out);
        assertArrayEquals(jdk, out.array());
    }

    @Property(tries = 1000)
    void truncationKeepsWholeCharactersWithinTheLimit(@ForAll("text") String s) {
        for (int max : List.of(0, 1, 3, 10, 64)) {
            String cut = Utf8.truncate(s, max);
            assertEquals(true, s.startsWith(cut));
            assertEquals(true, Utf8.encodedLength(cut) <= max);
            assertEquals(true, cut.isEmpty() || !Character.isHighSurrogate(cut.charAt(cut.length() - 1)));
        }
    }

    @Provide
    Arbitrary<String> text() {
        return Arbitraries.strings().all().ofMaxLength(40)
                .filter(s -> s.codePoints().noneMatch(cp -> cp >= 0xD800 && cp <= 0xDFFF));
    }

    private static boolean jdkAccepts(byte[] bytes) {
        try {
            StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }
}
