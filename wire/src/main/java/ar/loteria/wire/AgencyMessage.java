package ar.loteria.wire;

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

    /**
     * Bets of the identified agency. {@code sequence} counts the agency's batches from 1, so
     * the central recognises a batch resent after a lost reply.
     */
    record BetBatch(long sequence, List<Bet> bets) implements AgencyMessage {
        public BetBatch {
            Message.requireSequence(sequence);
            bets = List.copyOf(bets);
        }

        @Override
        public MessageType type() {
            return MessageType.BET_BATCH;
        }
    }

    /** "All my bets are sent; my last batch was {@code lastSequence}" (0 when it sent none). */
    record AllSent(long lastSequence) implements AgencyMessage {
        public AllSent {
            Message.requireSequence(lastSequence);
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
