package ar.loteria.wire;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/** What an agency sends to the central. */
public sealed interface AgencyMessage extends Message {

    /** "I am agency {@code agency}": the first message of every protocol connection. */
    record Hello(int agency) implements AgencyMessage {
        public static final int MAX_AGENCY = 0xFFFF;

        public Hello {
            if (agency < 0 || agency > MAX_AGENCY) {
                throw new IllegalArgumentException("agency out of u16 range: " + agency);
            }
        }

        @Override
        public MessageType type() {
            return MessageType.HELLO;
        }
    }

    /** The answer to the central's challenge: {@link Proof#BYTES} bytes of HMAC, see {@link Proofs}. */
    record Proof(byte[] mac) implements AgencyMessage {
        public static final int BYTES = 32;

        public Proof {
            if (mac.length != BYTES) {
                throw new IllegalArgumentException("a proof is " + BYTES + " bytes, not " + mac.length);
            }
            mac = mac.clone();
        }

        @Override
        public byte[] mac() {
            return mac.clone();
        }

        @Override
        public MessageType type() {
            return MessageType.PROOF;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Proof p && Arrays.equals(mac, p.mac);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(mac);
        }

        @Override
        public String toString() {
            return "Proof[" + HexFormat.of().formatHex(mac) + "]";
        }
    }

    /**
     * Bets of the identified agency, the ones at {@code firstOffset}, {@code firstOffset + 1}, ...
     * of its file: the offset counts the agency's bets before this batch, so the central stores
     * each bet once however the agency batches them, resends included.
     */
    record BetBatch(long firstOffset, List<Bet> bets) implements AgencyMessage {
        public BetBatch {
            Message.requireOffset(firstOffset);
            bets = List.copyOf(bets);
        }

        /** The offset after this batch's last bet. */
        public long endOffset() {
            return firstOffset + bets.size();
        }

        @Override
        public MessageType type() {
            return MessageType.BET_BATCH;
        }
    }

    /** "All my bets are sent: {@code total} of them" (0 when it had none). */
    record AllSent(long total) implements AgencyMessage {
        public AllSent {
            Message.requireOffset(total);
        }

        @Override
        public MessageType type() {
            return MessageType.ALL_SENT;
        }
    }

    /** "Give me my winners": answered once the draw has run. */
    record WinnersQuery() implements AgencyMessage {
        @Override
        public MessageType type() {
            return MessageType.WINNERS_QUERY;
        }
    }
}
