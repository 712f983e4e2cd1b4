package ar.loteria.central.draw;

import java.util.List;

/** Who waits for an agency's winners; called on the reactor thread, once. */
@FunctionalInterface
public interface WinnersListener {
    void winners(List<String> documents);
}
