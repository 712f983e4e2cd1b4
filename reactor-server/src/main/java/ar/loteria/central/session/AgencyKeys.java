package ar.loteria.central.session;

import ar.loteria.common.ConfigException;
import ar.loteria.wire.Proofs;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The agencies' secret keys, from {@code AGENCY_KEYS}: {@code 1:key,2:key,...}, one per
 * expected agency, each the UTF-8 bytes of its text, at least 16 of them (PROTOCOL.md, PROOF).
 * Without them any proof is taken, and the central says so when it starts.
 */
public final class AgencyKeys {
    static final int MIN_KEY_BYTES = 16;

    private final Map<Integer, byte[]> keys;
    /**
     * What a proof for an agency that does not exist is checked against, so that it costs the
     * same time as a wrong proof for one that does: its answer says nothing about which agencies
     * exist. No secret: such a proof is refused whatever it matches.
     */
    private final byte[] decoy = new byte[MIN_KEY_BYTES];

    private AgencyKeys(Map<Integer, byte[]> keys) {
        this.keys = keys;
    }

    public static AgencyKeys none() {
        return new AgencyKeys(Map.of());
    }

    /** Parses {@code spec}, which must give a key to each agency from 1 to {@code agencies} and to no other. */
    public static AgencyKeys parse(String spec, int agencies) throws ConfigException {
        Map<Integer, byte[]> keys = new TreeMap<>();
        for (String pair : spec.split(",")) {
            String item = pair.strip();
            int colon = item.indexOf(':');
            if (colon <= 0 || !item.substring(0, colon).chars().allMatch(c -> c >= '0' && c <= '9') || colon > 5) {
                throw new ConfigException("AGENCY_KEYS must be agency:key pairs separated by commas, as 1:key1,2:key2: \"" + abbreviate(item) + "\"");
            }
            int agency = Integer.parseInt(item.substring(0, colon));
            String key = item.substring(colon + 1).strip();
            if (agency < 1 || agency > agencies) {
                throw new ConfigException("AGENCY_KEYS has a key for agency " + agency + ", but the agencies are 1 to " + agencies);
            }
            byte[] bytes = key.getBytes(StandardCharsets.UTF_8);
            if (bytes.length < MIN_KEY_BYTES) {
                throw new ConfigException("AGENCY_KEYS: the key of agency " + agency + " is shorter than " + MIN_KEY_BYTES + " bytes");
            }
            if (keys.put(agency, bytes) != null) {
                throw new ConfigException("AGENCY_KEYS gives agency " + agency + " two keys");
            }
        }
        List<String> missing = new ArrayList<>();
        for (int agency = 1; agency <= agencies; agency++) {
            if (!keys.containsKey(agency)) {
                missing.add(Integer.toString(agency));
            }
        }
        if (!missing.isEmpty()) { // all of them at once: a partial list is fixed in one go
            throw new ConfigException("AGENCY_KEYS has no key for agenc" + (missing.size() == 1 ? "y " : "ies ") + String.join(", ", missing)
                    + ": it must give a key to every agency from 1 to " + agencies + " (AGENCIES), or be unset");
        }
        return new AgencyKeys(Map.copyOf(keys));
    }

    /** A key is never shown whole in an error. */
    private static String abbreviate(String item) {
        int colon = item.indexOf(':');
        return colon < 0 ? (item.length() > 8 ? item.substring(0, 8) + "…" : item) : item.substring(0, colon + 1) + "…";
    }

    public boolean configured() {
        return !keys.isEmpty();
    }

    /**
     * Whether {@code proof} shows that the peer holds {@code agency}'s key; always, without keys.
     * An agency without a key gets false, after the same work as any other.
     */
    boolean verify(int agency, byte[] nonce, byte[] proof) {
        if (!configured()) {
            return true;
        }
        byte[] key = keys.get(agency);
        boolean right = Proofs.verify(key == null ? decoy : key, agency, nonce, proof);
        return key != null && right;
    }
}
