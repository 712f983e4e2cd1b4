package ar.loteria.wire;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

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
    private Proofs() {
    }

    /** The proof for {@code agency} answering {@code nonce} under {@code key} (not empty). */
    public static byte[] proof(byte[] key, int agency, byte[] nonce) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            mac.update(LABEL);
            mac.update(ByteBuffer.allocate(2).putShort((short) agency).array());
            return mac.doFinal(nonce);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
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
