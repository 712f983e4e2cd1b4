package ar.loteria.common;

import java.util.Optional;
import java.util.function.Function;

/**
 * Typed settings over a program's own lookup (the central: its environment, then
 * {@code config.ini}; the agency: its {@code CLI_} variables, then {@code config.yaml}). Every
 * problem is a {@link ConfigException} that names the key and what was wrong.
 */
public final class Settings {
    /** Turns one setting's text into a value, or says why it cannot. */
    public interface Parser<T> {
        T parse(String text) throws IllegalArgumentException;
    }

    private final Function<String, Optional<String>> lookup;
    private final Function<String, String> whereToSet;

    /**
     * @param lookup     a key's value, stripped; empty when it is not set
     * @param whereToSet how a user sets a key, for the error when a required one is missing
     */
    public Settings(Function<String, Optional<String>> lookup, Function<String, String> whereToSet) {
        this.lookup = lookup;
        this.whereToSet = whereToSet;
    }

    public Optional<String> optional(String key) {
        return lookup.apply(key).map(String::strip).filter(v -> !v.isEmpty());
    }

    public String required(String key) throws ConfigException {
        Optional<String> value = optional(key);
        if (value.isEmpty()) {
            throw new ConfigException(key + " is not set: " + whereToSet.apply(key));
        }
        return value.get();
    }

    /** A required integer between {@code min} and {@code max}. */
    public int integer(String key, int min, int max) throws ConfigException {
        return parseInteger(key, required(key), min, max);
    }

    /** An integer between {@code min} and {@code max}, {@code fallback} when not set. */
    public int integer(String key, int fallback, int min, int max) throws ConfigException {
        Optional<String> value = optional(key);
        return value.isEmpty() ? fallback : parseInteger(key, value.get(), min, max);
    }

    /** A value of any type, {@code fallback} when not set. */
    public <T> T parsed(String key, T fallback, Parser<T> parser) throws ConfigException {
        Optional<String> value = optional(key);
        return value.isEmpty() ? fallback : parse(key, value.get(), parser);
    }

    /** A required value of any type. */
    public <T> T parsed(String key, Parser<T> parser) throws ConfigException {
        return parse(key, required(key), parser);
    }

    private static <T> T parse(String key, String text, Parser<T> parser) throws ConfigException {
        try {
            return parser.parse(text);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(key + ": " + e.getMessage());
        }
    }

    /**
     * ASCII digits only, with an optional minus: {@link Integer#parseInt} would take other
     * scripts' digits too, which no configuration file means.
     */
    static int parseInteger(String key, String text, int min, int max) throws ConfigException {
        String digits = text.startsWith("-") ? text.substring(1) : text;
        if (digits.isEmpty() || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new ConfigException(key + " must be an integer: \"" + text + "\"");
        }
        long n = digits.length() > 18 ? (text.startsWith("-") ? Long.MIN_VALUE : Long.MAX_VALUE) : Long.parseLong(text);
        if (n < min || n > max) {
            throw new ConfigException(key + " must be between " + min + " and " + max + ": " + text);
        }
        return (int) n;
    }
}
