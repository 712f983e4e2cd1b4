package ar.loteria.central.lottery;

import ar.loteria.wire.WireError;
import java.util.List;

/** Who waits for an agency's winners; called on the reactor thread. */
interface WinnersListener {
    void winners(List<String> documents);

    void failed(WireError error);
}
