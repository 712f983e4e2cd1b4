package ar.loteria.central.store;

import java.io.IOException;

/**
 * The store's files are not what it wrote, or not all of it: acknowledged bets may be changed or
 * gone. Nothing is cut or served from such a store; a person decides, with {@link Repair}.
 */
public class Damaged extends IOException {
    private static final long serialVersionUID = 1L;

    public Damaged(String message) {
        super(message);
    }
}
