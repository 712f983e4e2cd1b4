package ar.loteria.wire;

import java.util.Objects;

/**
 * One person's bet as an agency takes it. Plain data: {@link BetRules} says whether it is
 * valid, and both sides apply it (the agency before sending, the central on receipt).
 *
 * @param document  1 to 10 ASCII digits, kept as text so that leading zeros survive
 * @param birthdate an ISO date, {@code yyyy-MM-dd}
 * @param number    the number bet on, 0 to 9999
 */
public record Bet(String firstName, String lastName, String document, String birthdate, int number) {
    public Bet {
        Objects.requireNonNull(firstName, "firstName");
        Objects.requireNonNull(lastName, "lastName");
        Objects.requireNonNull(document, "document");
        Objects.requireNonNull(birthdate, "birthdate");
    }
}
