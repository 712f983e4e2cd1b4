package ar.loteria.central.draw;

/** How many winners an agency has, and the bytes their documents take as {@code str8}s (a length byte each). */
public record Count(long documents, long bytes) {
    Count plus(Count other) {
        return new Count(documents + other.documents, bytes + other.bytes);
    }
}
