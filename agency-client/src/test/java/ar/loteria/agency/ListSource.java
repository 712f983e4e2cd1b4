package ar.loteria.agency;

import ar.loteria.wire.Bet;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Bets from a list, as a file would give them; and the way back from a source's bytes to a bet. */
final class ListSource implements BetSource {
    private final List<Bet> bets;
    private int next;
    private boolean again;
    private final RawBet raw = new RawBet();

    ListSource(List<Bet> bets) {
        this.bets = bets;
    }

    @Override
    public RawBet next() {
        if (again) {
            again = false;
            return raw;
        }
        if (next == bets.size()) {
            return null;
        }
        Bet bet = bets.get(next++);
        byte[] all = (bet.firstName() + bet.lastName() + bet.document() + bet.birthdate()).getBytes(StandardCharsets.UTF_8);
        raw.bytes = all;
        raw.first = 0;
        raw.firstLength = bet.firstName().getBytes(StandardCharsets.UTF_8).length;
        raw.last = raw.firstLength;
        raw.lastLength = bet.lastName().getBytes(StandardCharsets.UTF_8).length;
        raw.document = raw.last + raw.lastLength;
        raw.documentLength = bet.document().length();
        raw.birthdate = raw.document + raw.documentLength;
        raw.number = bet.number();
        return raw;
    }

    @Override
    public void unread() {
        again = true;
    }

    @Override
    public long skip(long count) {
        long skipped = Math.min(count, bets.size() - next);
        next += (int) skipped;
        return skipped;
    }

    @Override
    public int percentRead() {
        return bets.isEmpty() ? 100 : next * 100 / bets.size();
    }

    @Override
    public boolean single() {
        return false;
    }

    @Override
    public void close() {
    }

    static Bet toBet(RawBet b) {
        return new Bet(new String(b.bytes, b.first, b.firstLength, StandardCharsets.UTF_8),
                new String(b.bytes, b.last, b.lastLength, StandardCharsets.UTF_8), b.document(),
                new String(b.bytes, b.birthdate, 10, StandardCharsets.US_ASCII), b.number);
    }
}
