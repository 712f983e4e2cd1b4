package ar.loteria.wire;

import ar.loteria.wire.AgencyMessage.AllSent;
import ar.loteria.wire.AgencyMessage.BetBatch;
import ar.loteria.wire.AgencyMessage.Hello;
import ar.loteria.wire.AgencyMessage.Proof;
import ar.loteria.wire.AgencyMessage.WinnersQuery;
import ar.loteria.wire.CentralMessage.BatchAccepted;
import ar.loteria.wire.CentralMessage.BatchRejected;
import ar.loteria.wire.CentralMessage.Challenge;
import ar.loteria.wire.CentralMessage.Failure;
import ar.loteria.wire.CentralMessage.Welcome;
import ar.loteria.wire.CentralMessage.Winners;
import java.time.LocalDate;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/** Random valid protocol values, names with accents, CJK and emoji included. */
final class WireArbitraries {
    /** Pieces names are made of: one to four UTF-8 bytes each, CSV-special characters too. */
    private static final List<String> NAME_PIECES = List.of(
            "a", "b", "e", "o", "z", "A", "M", "Z", " ", "'", "-", ",", "\"", ".",
            "á", "é", "í", "ó", "ú", "ñ", "Ñ", "ü", "Á", "ç", "ø", "ß",
            "漢", "字", "€", "😀", "𝄞");

    private WireArbitraries() {
    }

    static Arbitrary<String> name() {
        return Arbitraries.of(NAME_PIECES).list().ofMinSize(1).ofMaxSize(40)
                .map(pieces -> String.join("", pieces))
                .filter(s -> Utf8.encodedLength(s) <= BetRules.MAX_NAME_BYTES);
    }

    static Arbitrary<String> document() {
        return Arbitraries.strings().numeric().ofMinLength(1).ofMaxLength(BetRules.MAX_DOCUMENT_DIGITS);
    }

    static Arbitrary<String> birthdate() {
        LocalDate first = LocalDate.of(1900, 1, 1);
        return Arbitraries.longs().between(0, LocalDate.of(2020, 12, 31).toEpochDay() - first.toEpochDay())
                .map(days -> first.plusDays(days).toString());
    }

    static Arbitrary<Bet> bet() {
        return Combinators.combine(name(), name(), document(), birthdate(), Arbitraries.integers().between(0, BetRules.MAX_NUMBER))
                .as(Bet::new);
    }

    /** Bets as long as the rules allow: two 64-byte names and a 10-digit document. */
    static Bet worstCaseBet(int i) {
        String name = "N".repeat(BetRules.MAX_NAME_BYTES);
        return new Bet(name, name, String.format("%010d", i), "1999-03-17", 7574);
    }

    static Arbitrary<Long> offset() {
        return Arbitraries.oneOf(Arbitraries.longs().between(0, 1_000_000), Arbitraries.longs().between(0, Message.MAX_OFFSET));
    }

    static Arbitrary<byte[]> bytes(int length) {
        return Arbitraries.bytes().array(byte[].class).ofSize(length);
    }

    static Arbitrary<WireError> error() {
        return Combinators.combine(Arbitraries.of(ErrorCode.class),
                        Arbitraries.of(NAME_PIECES).list().ofMaxSize(120).map(p -> String.join("", p)))
                .as(WireError::new);
    }

    static Arbitrary<Message> message() {
        return Arbitraries.oneOf(
                Arbitraries.integers().between(0, Hello.MAX_AGENCY).map(Hello::new),
                bytes(Proof.BYTES).map(Proof::new),
                Combinators.combine(offset(), bet().list().ofMinSize(1).ofMaxSize(53)).as(BetBatch::new),
                offset().map(AllSent::new),
                Arbitraries.just(new WinnersQuery()),
                bytes(Challenge.BYTES).map(Challenge::new),
                Combinators.combine(offset(), Arbitraries.of(true, false)).as(Welcome::new),
                Combinators.combine(offset(), Arbitraries.integers().between(0, 0xFFFF), offset()).as(BatchAccepted::new),
                Combinators.combine(offset(), error()).as(BatchRejected::new),
                Combinators.combine(document().list().ofMaxSize(700), Arbitraries.of(true, false)).as(Winners::new),
                error().map(Failure::new));
    }

    /** Small messages, so that trying every split point stays quick. */
    static Arbitrary<Message> smallMessage() {
        return Arbitraries.oneOf(
                message().filter(m -> FrameEncoder.frameBytes(m) <= 600),
                Combinators.combine(offset(), bet().list().ofMinSize(1).ofMaxSize(4)).as(BetBatch::new));
    }
}
