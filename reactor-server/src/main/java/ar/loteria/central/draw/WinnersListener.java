package ar.loteria.central.draw;

import java.util.Iterator;

/** Who waits for an agency's winners; called on the reactor thread, once. */
@FunctionalInterface
public interface WinnersListener {
    /** {@code count} documents, read as they are taken (see {@link DrawnWinners#documents}). */
    void winners(long count, Iterator<String> documents);
}
