package ar.loteria.central.session;

import ar.loteria.central.reactor.Connection;
import ar.loteria.wire.AgencyMessage.Proof;
import ar.loteria.wire.CentralMessage.Challenge;
import ar.loteria.wire.ErrorCode;
import ar.loteria.wire.Frame;
import ar.loteria.wire.FrameEncoder;
import ar.loteria.wire.MessageType;
import ar.loteria.wire.WireError;

/**
 * Who the peer is: HELLO with the agency it claims, a CHALLENGE with a fresh nonce, then the PROOF
 * that it holds that agency's key. Until the proof checks out, nothing the central knows about any
 * agency is told, nothing is changed, and a stranger may send only these small frames.
 */
final class Handshake {
    /** The largest frame a peer may send before it is authenticated: a PROOF. */
    static final int MAX_HANDSHAKE_FRAME_BYTES = Frame.HEADER_BYTES + Proof.BYTES;

    private enum Stage {
        HELLO,
        PROOF,
        PROVEN
    }

    private final Connection connection;
    private final Lottery lottery;
    private Stage stage = Stage.HELLO;
    private int claimed;
    private byte[] nonce;
    private int agency;

    Handshake(Connection connection, Lottery lottery) {
        this.connection = connection;
        this.lottery = lottery;
    }

    boolean proven() {
        return stage == Stage.PROVEN;
    }

    /** The agency proven, or 0 before the proof. */
    int agency() {
        return agency;
    }

    /**
     * Before the proof, only the small handshake frames: anything else, or a frame longer than a
     * PROOF, is refused on its header, so that a stranger never makes the central wait for, or
     * make room for, a large frame.
     */
    WireError refuses(MessageType type, int frameBytes) {
        if (stage == Stage.PROVEN) {
            return null;
        }
        if (!type.fromAgency()) {
            return new WireError(ErrorCode.UNEXPECTED_MESSAGE, type + " is sent by the central, not by an agency");
        }
        if (type != MessageType.HELLO && type != MessageType.PROOF) {
            return notIdentified();
        }
        if (frameBytes > MAX_HANDSHAKE_FRAME_BYTES) {
            return new WireError(ErrorCode.TRAILING_BYTES, type + " of " + frameBytes + " bytes: before authentication a frame holds at most "
                    + MAX_HANDSHAKE_FRAME_BYTES);
        }
        return null;
    }

    /** Sends the CHALLENGE; or the error to fail with. */
    WireError hello(int id) {
        if (stage != Stage.HELLO) {
            return new WireError(ErrorCode.UNEXPECTED_MESSAGE, "HELLO was said already");
        }
        // Any number gets a challenge: whether the agency exists is told to its key holder only.
        claimed = id;
        nonce = new byte[Challenge.BYTES];
        lottery.random.nextBytes(nonce);
        stage = Stage.PROOF;
        connection.send(FrameEncoder.encode(new Challenge(nonce)));
        return null;
    }

    /**
     * Null once the agency is proven; or the error to fail with. The proof decides everything: a
     * wrong one leaves no trace but a log line and a closed connection, and a proof for an agency
     * that does not exist gets the very same answer.
     */
    WireError proof(byte[] mac) {
        if (stage != Stage.PROOF) {
            return stage == Stage.HELLO ? notIdentified() : new WireError(ErrorCode.UNEXPECTED_MESSAGE, "the agency is authenticated already");
        }
        boolean proven = lottery.keys.verify(claimed, nonce, mac); // the same work for every claim
        if (!lottery.draw.expected(claimed)) {
            lottery.log.unknownAgency(connection.ip(), claimed, lottery.draw.agencies());
            return authFailed();
        }
        if (!proven) {
            lottery.log.authFailed(connection.ip(), claimed);
            return authFailed();
        }
        agency = claimed;
        stage = Stage.PROVEN;
        return null;
    }

    /** A request before the handshake is over: what is missing is what the agency must send. */
    WireError notIdentified() {
        return new WireError(ErrorCode.NOT_IDENTIFIED, stage == Stage.HELLO ? "send HELLO first" : "answer the CHALLENGE with PROOF first");
    }

    private static WireError authFailed() {
        return new WireError(ErrorCode.AUTH_FAILED, "authentication failed");
    }
}
