package ar.loteria.wire;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;

/** Hex as PROTOCOL.md writes it: space-separated pairs. */
final class Hex {
    private Hex() {
    }

    static byte[] parse(String hex) {
        String digits = hex.replaceAll("\\s+", "");
        if (digits.length() % 2 != 0) {
            throw new IllegalArgumentException("odd number of hex digits");
        }
        byte[] out = new byte[digits.length() / 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) Integer.parseInt(digits.substring(2 * i, 2 * i + 2), 16);
        }
        return out;
    }

    static String format(ByteBuffer buf) {
        StringBuilder sb = new StringBuilder();
        ByteBuffer b = buf.duplicate();
        while (b.hasRemaining()) {
            sb.append(String.format("%02X", b.get()));
            if (b.hasRemaining()) {
                sb.append(' ');
            }
        }
        return sb.toString();
    }

    /** A frame with a correct header around {@code payload}. */
    static byte[] frame(int type, byte[] payload) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0xF5);
        out.write(Frame.VERSION);
        out.write(type);
        out.write(payload.length >> 8);
        out.write(payload.length & 0xFF);
        out.writeBytes(payload);
        return out.toByteArray();
    }
}
