package ar.loteria.wire;

import java.util.List;
import java.util.Objects;

/** What the central answers. */
public sealed interface CentralMessage extends Message {

    /** Batch {@code sequence} and its {@code count} bets are durably stored. */
    record BatchAccepted(long sequence, int count) implements CentralMessage {
        public BatchAccepted {
            Message.requireSequence(sequence);
            if (count < 0 || count > 0xFFFF) {
                throw new IllegalArgumentException("count out of u16 range: " + count);
            }
        }

        @Override
        public MessageType type() {
            return MessageType.BATCH_ACCEPTED;
        }
    }

    /** Batch {@code sequence} was refused; none of its bets is stored. */
    record BatchRejected(long sequence, WireError error) implements CentralMessage {
        public BatchRejected {
            Message.requireSequence(sequence);
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
