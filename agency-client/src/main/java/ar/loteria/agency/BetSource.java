package ar.loteria.agency;

import ar.loteria.wire.Bet;
import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Where an agency's bets come from, one at a time, as bytes already checked by the protocol's
 * rules: a file read line by line, or the one bet of the environment.
 */
interface BetSource extends Closeable {
    /** One bet's fields, as ranges of {@code bytes}; valid until the next call to the source. */
    final class RawBet {
        byte[] bytes;
        int first;
        int firstLength;
        int last;
        int lastLength;
        int document;
        int documentLength;
        int birthdate;
        int number;

        String document() {
            return new String(bytes, document, documentLength, StandardCharsets.US_ASCII);
        }
    }

    /** The next bet, or null when there are no more. */
    RawBet next() throws IOException, BadDataException;

    /** The bet {@link #next} returned last is given again by the next call: it did not fit where it was meant to go. */
    void unread();

    /** Passes over the next {@code bets} bets without checking them (the central holds them already); how many there were. */
    long skip(long bets) throws IOException, BadDataException;

    /** How far through the source we are, 0 to 100. */
    int percentRead();

    /** Whether the bets came from the environment: one bet, logged at INFO when sent. */
    boolean single();

    /** One bet given in the environment, checked by the rules when it is read. */
    static BetSource of(Bet bet) {
        byte[] first = bet.firstName().getBytes(StandardCharsets.UTF_8);
        byte[] last = bet.lastName().getBytes(StandardCharsets.UTF_8);
        byte[] document = bet.document().getBytes(StandardCharsets.UTF_8);
        byte[] birthdate = bet.birthdate().getBytes(StandardCharsets.UTF_8);
        RawBet raw = new RawBet();
        raw.bytes = new byte[first.length + last.length + document.length + birthdate.length];
        int at = 0;
        raw.first = at;
        raw.firstLength = first.length;
        System.arraycopy(first, 0, raw.bytes, at, first.length);
        at += first.length;
        raw.last = at;
        raw.lastLength = last.length;
        System.arraycopy(last, 0, raw.bytes, at, last.length);
        at += last.length;
        raw.document = at;
        raw.documentLength = document.length;
        System.arraycopy(document, 0, raw.bytes, at, document.length);
        at += document.length;
        raw.birthdate = at;
        System.arraycopy(birthdate, 0, raw.bytes, at, birthdate.length);
        raw.number = bet.number();
        return new BetSource() {
            private int given;
            private boolean again;

            @Override
            public RawBet next() throws BadDataException {
                if (again) {
                    again = false;
                    return raw;
                }
                if (given++ > 0) {
                    return null;
                }
                BadDataException broken = BetFile.check(bet, 0);
                if (broken != null) {
                    throw broken;
                }
                return raw;
            }

            @Override
            public void unread() {
                again = true;
            }

            @Override
            public long skip(long bets) {
                long skipped = Math.min(bets, given == 0 ? 1 : 0);
                given += (int) skipped;
                return skipped;
            }

            @Override
            public int percentRead() {
                return given > 0 ? 100 : 0;
            }

            @Override
            public boolean single() {
                return true;
            }

            @Override
            public void close() {
            }
        };
    }
}
