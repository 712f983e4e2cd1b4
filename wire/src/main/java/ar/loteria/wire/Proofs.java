package ar.loteria.wire;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;

/**
 * How an agency proves it is who it says: HMAC-SHA256 under its secret key of a fixed label,
 * its number and the central's fresh nonce. The key never travels, a proof is good for one
 * connection only, and a peer without the key cannot make one.
 *
 * <pre>
 * proof = HMAC-SHA256(key, "loteria-proof-v2" | u16 agency | 16-byte nonce)
 * </pre>
 */
public final class Proofs {
    static final byte[] LABEL = "loteria-proof-v2".getBytes(StandardCharsets.US_ASCII);
    /** SHA-256's block: a key up to this long is padded, a longer one hashed first. */
    private static final int BLOCK = 64;

    private Proofs() {
    }

    /**
     * The proof for {@code agency} answering {@code nonce} under {@code key} (not empty): HMAC as
     * RFC 2104 defines it, over SHA-256. It is built on MessageDigest rather than javax.crypto.Mac,
     * whose provider takes a dozen milliseconds to start in every fresh JVM, agencies included.
     */
    public static byte[] proof(byte[] key, int agency, byte[] nonce) {
        MessageDigest sha = sha256();
        byte[] block = new byte[BLOCK];
        byte[] k = key.length > BLOCK ? sha.digest(key) : key;
        System.arraycopy(k, 0, block, 0, k.length);
        byte[] pad = new byte[BLOCK];
        for (int i = 0; i < BLOCK; i++) {
            pad[i] = (byte) (block[i] ^ 0x36);
        }
        sha.update(pad);
        sha.update(LABEL);
        sha.update((byte) (agency >> 8));
        sha.update((byte) agency);
        byte[] inner = sha.digest(nonce);
        for (int i = 0; i < BLOCK; i++) {
            pad[i] = (byte) (block[i] ^ 0x5C);
        }
        sha.update(pad);
        return sha.digest(inner);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /** Whether {@code mac} is that proof; takes the same time wherever the bytes differ. */
    public static boolean verify(byte[] key, int agency, byte[] nonce, byte[] mac) {
        return MessageDigest.isEqual(proof(key, agency, nonce), mac);
    }

    /** What an agency without a key sends: all zeros. Only a central without keys takes it. */
    public static AgencyMessage.Proof unkeyed() {
        return new AgencyMessage.Proof(new byte[AgencyMessage.Proof.BYTES]);
    }
}
