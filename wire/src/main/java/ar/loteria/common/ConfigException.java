package ar.loteria.common;

/** A setting that is missing or cannot be parsed; the message says which and why. */
public final class ConfigException extends Exception {
    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
        super(message);
    }
}
