package ar.loteria.wire;

import java.nio.ByteBuffer;

/**
 * UTF-8 without intermediate arrays: the encoder writes straight into frames, and the decoder
 * checks bytes strictly (the JDK's String constructor would silently replace bad ones).
 */
final class Utf8 {
    private Utf8() {
    }

    /** The number of bytes {@link #encode} writes for {@code s}; a lone surrogate counts as '?'. */
    static int encodedLength(CharSequence s) {
        int n = s.length();
        int bytes = n;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c >= 0x80) {
                if (c < 0x800) {
                    bytes += 1;
                } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                    bytes += 2; // four bytes for two chars
                    i++;
                } else if (!Character.isSurrogate(c)) {
                    bytes += 2;
                }
            }
        }
        return bytes;
    }

    /** Writes {@code s} as UTF-8; a lone surrogate becomes '?', as {@link String#getBytes} does. */
    static void encode(CharSequence s, ByteBuffer out) {
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                out.put((byte) c);
            } else if (c < 0x800) {
                out.put((byte) (0xC0 | c >> 6)).put((byte) (0x80 | c & 0x3F));
            } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                int cp = Character.toCodePoint(c, s.charAt(++i));
                out.put((byte) (0xF0 | cp >> 18)).put((byte) (0x80 | cp >> 12 & 0x3F))
                        .put((byte) (0x80 | cp >> 6 & 0x3F)).put((byte) (0x80 | cp & 0x3F));
            } else if (Character.isSurrogate(c)) {
                out.put((byte) '?');
            } else {
                out.put((byte) (0xE0 | c >> 12)).put((byte) (0x80 | c >> 6 & 0x3F)).put((byte) (0x80 | c & 0x3F));
            }
        }
    }

    /**
     * Whether {@code length} bytes from {@code offset} are well-formed UTF-8 (RFC 3629): no
     * overlong forms, no surrogates, nothing above U+10FFFF, no cut sequence.
     */
    static boolean isValid(byte[] buf, int offset, int length) {
        int i = offset;
        int end = offset + length;
        while (i < end) {
            int b = buf[i] & 0xFF;
            if (b < 0x80) {
                i++;
                continue;
            }
            int extra;
            int min;
            int max = 0xBF;
            if (b >= 0xC2 && b <= 0xDF) {
                extra = 1;
                min = 0x80;
            } else if (b >= 0xE0 && b <= 0xEF) {
                extra = 2;
                min = b == 0xE0 ? 0xA0 : 0x80; // E0 80..9F would be overlong
                max = b == 0xED ? 0x9F : 0xBF; // ED A0..BF would be a surrogate
            } else if (b >= 0xF0 && b <= 0xF4) {
                extra = 3;
                min = b == 0xF0 ? 0x90 : 0x80; // F0 80..8F would be overlong
                max = b == 0xF4 ? 0x8F : 0xBF; // F4 90.. would exceed U+10FFFF
            } else {
                return false;
            }
            if (i + extra >= end) {
                return false; // the sequence is cut
            }
            int second = buf[i + 1] & 0xFF;
            if (second < min || second > max) {
                return false;
            }
            for (int k = 2; k <= extra; k++) {
                int cont = buf[i + k] & 0xFF;
                if (cont < 0x80 || cont > 0xBF) {
                    return false;
                }
            }
            i += extra + 1;
        }
        return true;
    }

    /**
     * The first control character (U+0000–U+001F, U+007F–U+009F) in valid UTF-8, or -1. In
     * UTF-8 those are the single bytes 00–1F and 7F, and C2 80 to C2 9F.
     */
    static int firstControl(byte[] buf, int offset, int length) {
        int end = offset + length;
        for (int i = offset; i < end; i++) {
            int b = buf[i] & 0xFF;
            if (b < 0x20 || b == 0x7F) {
                return b;
            }
            if (b == 0xC2 && i + 1 < end && (buf[i + 1] & 0xFF) <= 0x9F) {
                return buf[i + 1] & 0xFF;
            }
        }
        return -1;
    }

    /** Bytes for an error message: as text when they are UTF-8, with anything unprintable as '?'. */
    static String printable(byte[] buf, int offset, int length) {
        String s = isValid(buf, offset, length) ? new String(buf, offset, length, java.nio.charset.StandardCharsets.UTF_8)
                : new String(buf, offset, length, java.nio.charset.StandardCharsets.ISO_8859_1);
        StringBuilder out = new StringBuilder(s.length());
        s.codePoints().forEach(cp -> out.appendCodePoint(Character.isISOControl(cp) || cp == 0xFFFD ? '?' : cp));
        return out.toString();
    }

    /** {@code s} cut to at most {@code maxBytes} UTF-8 bytes, never inside a character. */
    static String truncate(String s, int maxBytes) {
        if (s.length() <= maxBytes / 4 || encodedLength(s) <= maxBytes) {
            return s;
        }
        int bytes = 0;
        int i = 0;
        while (i < s.length()) {
            int cp = s.codePointAt(i);
            int size = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
            if (bytes + size > maxBytes) {
                break;
            }
            bytes += size;
            i += Character.charCount(cp);
        }
        return s.substring(0, i);
    }
}
