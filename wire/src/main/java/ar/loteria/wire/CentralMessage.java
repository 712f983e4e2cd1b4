package ar.loteria.wire;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/** What the central answers. */
public sealed interface CentralMessage extends Message {

    /** The answer to HELLO: prove you are the agency by {@link Proofs#proof} over this nonce. */
    record Challenge(byte[] nonce) implements CentralMessage {
        public static final int BYTES = 16;

        public Challenge {
            if (nonce.length != BYTES) {
                throw new IllegalArgumentException("a nonce is " + BYTES + " bytes, not " + nonce.length);
            }
            nonce = nonce.clone();
        }

        @Override
        public byte[] nonce() {
            return nonce.clone();
        }

        @Override
        public MessageType type() {
            return MessageType.CHALLENGE;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Challenge c && Arrays.equals(nonce, c.nonce);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(nonce);
        }

        @Override
        public String toString() {
            return "Challenge[" + HexFormat.of().formatHex(nonce) + "]";
        }
    }

    /**
     * The agency proved who it is. {@code stored} bets of its file are durably stored (resume from
     * there); {@code done} says its ALL_SENT is stored too.
     */
    record Welcome(long stored, boolean done) implements CentralMessage {
        public Welcome {
            Message.requireOffset(stored);
        }

        @Override
        public MessageType type() {
            return MessageType.WELCOME;
        }
    }

    /**
     * The batch at {@code firstOffset} with {@code count} bets is settled: the agency's first
     * {@code stored} bets are durably stored, this batch's included (or stored before).
     */
    record BatchAccepted(long firstOffset, int count, long stored) implements CentralMessage {
        public BatchAccepted {
            Message.requireOffset(firstOffset);
            Message.requireOffset(stored);
            if (count < 0 || count > 0xFFFF) {
                throw new IllegalArgumentException("count out of u16 range: " + count);
            }
        }

        @Override
        public MessageType type() {
            return MessageType.BATCH_ACCEPTED;
        }
    }

    /** The batch at {@code firstOffset} was refused; none of its bets is stored. */
    record BatchRejected(long firstOffset, WireError error) implements CentralMessage {
        public BatchRejected {
            Message.requireOffset(firstOffset);
            Objects.requireNonNull(error, "error");
        }

        @Override
        public MessageType type() {
            return MessageType.BATCH_REJECTED;
        }
    }

    /**
     * Winners' documents of the asking agency. A long list spans several frames; {@code last}
     * marks the final one.
     */
    record Winners(List<String> documents, boolean last) implements CentralMessage {
        public Winners {
            documents = List.copyOf(documents);
        }

        @Override
        public MessageType type() {
            return MessageType.WINNERS;
        }
    }

    /** A request the central could not serve; it closes the connection after sending this. */
    record Failure(WireError error) implements CentralMessage {
        public Failure {
            Objects.requireNonNull(error, "error");
        }

        @Override
        public MessageType type() {
            return MessageType.FAILURE;
        }
    }
}
