package ar.loteria.central.draw;

import java.io.Closeable;
import java.util.Iterator;

/** What a draw found: how many bets it read, and each agency's winners, read as they are sent. */
public interface DrawnWinners extends Closeable {
    long bets();

    /** Every agency's winners together. */
    long winners();

    /** How many winners {@code agency} has. */
    long count(int agency);

    /**
     * The documents of {@code agency}'s winners in the order of {@code bets.csv}, read only as far
     * as they are asked for. A read that fails throws {@link java.io.UncheckedIOException}.
     */
    Iterator<String> documents(int agency);
}
