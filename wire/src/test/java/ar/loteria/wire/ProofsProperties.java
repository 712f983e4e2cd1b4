package ar.loteria.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** The proof is HMAC-SHA256, byte for byte as the JDK's Mac computes it, whatever the key's length. */
class ProofsProperties {
    @Property(tries = 300)
    void theProofIsTheJdksHmacSha256(@ForAll @Size(min = 1, max = 200) byte[] key, @ForAll @IntRange(max = 0xFFFF) int agency,
            @ForAll @Size(16) byte[] nonce) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        mac.update(Proofs.LABEL);
        mac.update(new byte[] {(byte) (agency >> 8), (byte) agency});
        assertArrayEquals(mac.doFinal(nonce), Proofs.proof(key, agency, nonce));
        assertTrue(Proofs.verify(key, agency, nonce, Proofs.proof(key, agency, nonce)));
        assertFalse(Proofs.verify(key, agency ^ 1, nonce, Proofs.proof(key, agency, nonce)));
    }
}
