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
import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/** Turns messages into frames. It refuses any frame over 8 KiB rather than write it. */
public final class FrameEncoder {
    /** A winners payload before its documents: flags (u8) and count (u16). */
    public static final int WINNERS_PREFIX_BYTES = 1 + 2;
    /** The largest bet the rules allow: two 64-byte names, a 10-digit document. */
    public static final int MAX_BET_BYTES = BatchWriter.betBytes(BetRules.MAX_NAME_BYTES, BetRules.MAX_NAME_BYTES, BetRules.MAX_DOCUMENT_DIGITS);
    /** The smallest bet the rules allow: one-byte names and document. */
    public static final int MIN_BET_BYTES = BatchWriter.betBytes(1, 1, 1);

    private static final int MAX_STRING_BYTES = 0xFF;

    private FrameEncoder() {
    }

    /** The bytes one bet takes inside a batch payload. */
    public static int betBytes(Bet bet) {
        return BatchWriter.betBytes(Utf8.encodedLength(bet.firstName()), Utf8.encodedLength(bet.lastName()), Utf8.encodedLength(bet.document()));
    }

    /** The bytes one document takes inside a winners payload. */
    public static int documentBytes(String document) {
        return 1 + Utf8.encodedLength(document);
    }

    /**
     * The answer to a winners query as frames that each fit in 8 KiB: as many documents per frame
     * as fit, the last frame flagged. No winner is one empty, last frame. Lazy: each frame takes
     * its documents from {@code documents} only when it is asked for, so a long answer is never
     * held whole.
     */
    public static Iterator<Winners> winnersFrames(Iterator<String> documents) {
        return new Iterator<>() {
            /** The document that did not fit in the previous frame. */
            private String carried;
            private boolean done;

            @Override
            public boolean hasNext() {
                return !done;
            }

            @Override
            public Winners next() {
                if (done) {
                    throw new NoSuchElementException();
                }
                List<String> frame = new ArrayList<>();
                int bytes = WINNERS_PREFIX_BYTES;
                if (carried != null) {
                    frame.add(carried);
                    bytes += documentBytes(carried);
                    carried = null;
                }
                while (documents.hasNext()) {
                    String document = documents.next();
                    int size = documentBytes(document);
                    if (bytes + size > Frame.MAX_PAYLOAD_BYTES) {
                        carried = document;
                        return new Winners(frame, false);
                    }
                    frame.add(document);
                    bytes += size;
                }
                done = true;
                return new Winners(frame, true);
            }
        };
    }

    /** The whole frame's size, header included. */
    public static int frameBytes(Message message) {
        return Frame.HEADER_BYTES + payloadBytes(message);
    }

    /** The message as one frame in a new buffer, ready to be read. */
    public static ByteBuffer encode(Message message) {
        int size = checkedFrameBytes(message);
        ByteBuffer out = ByteBuffer.allocate(size);
        write(message, size, out);
        return out.flip();
    }

    /**
     * Appends the message as one frame to {@code out}. Nothing is written when it throws.
     *
     * @throws FrameTooLargeException  if the frame would exceed 8 KiB
     * @throws BufferOverflowException if {@code out} has no room for it
     */
    public static void encode(Message message, ByteBuffer out) {
        int size = checkedFrameBytes(message);
        if (out.remaining() < size) {
            throw new BufferOverflowException();
        }
        write(message, size, out);
    }

    private static int checkedFrameBytes(Message message) {
        int size = frameBytes(message);
        if (size > Frame.MAX_FRAME_BYTES) {
            throw new FrameTooLargeException(message.type(), size);
        }
        return size;
    }

    private static int payloadBytes(Message message) {
        if (message instanceof Hello) {
            return 2;
        } else if (message instanceof Proof) {
            return Proof.BYTES;
        } else if (message instanceof BetBatch batch) {
            int bytes = BatchReader.PREFIX_BYTES;
            for (Bet bet : batch.bets()) {
                bytes += betBytes(bet);
            }
            return bytes;
        } else if (message instanceof AllSent) {
            return 8;
        } else if (message instanceof WinnersQuery) {
            return 0;
        } else if (message instanceof Challenge) {
            return Challenge.BYTES;
        } else if (message instanceof Welcome) {
            return 8 + 1;
        } else if (message instanceof BatchAccepted) {
            return 8 + 2 + 8;
        } else if (message instanceof BatchRejected rejected) {
            return 8 + errorBytes(rejected.error());
        } else if (message instanceof Winners winners) {
            int bytes = WINNERS_PREFIX_BYTES;
            for (String document : winners.documents()) {
                bytes += documentBytes(document);
            }
            return bytes;
        } else {
            return errorBytes(((Failure) message).error());
        }
    }

    private static int errorBytes(WireError error) {
        return 1 + 1 + Utf8.encodedLength(error.reason());
    }

    private static void write(Message message, int size, ByteBuffer out) {
        int start = out.position();
        out.put(Frame.MAGIC).put((byte) Frame.VERSION).put((byte) message.type().code())
                .putShort((short) (size - Frame.HEADER_BYTES));
        try {
            writePayload(message, out);
        } catch (RuntimeException e) {
            out.position(start); // leave nothing half-written behind
            throw e;
        }
        assert out.position() - start == size : message.type() + " size mismatch";
    }

    private static void writePayload(Message message, ByteBuffer out) {
        if (message instanceof Hello hello) {
            out.putShort((short) hello.agency());
        } else if (message instanceof Proof proof) {
            out.put(proof.mac());
        } else if (message instanceof BetBatch batch) {
            List<Bet> bets = batch.bets();
            out.putLong(batch.firstOffset());
            putU16(out, bets.size(), "bet count");
            for (int i = 0; i < bets.size(); i++) {
                writeBet(bets.get(i), i + 1, out);
            }
        } else if (message instanceof AllSent allSent) {
            out.putLong(allSent.total());
        } else if (message instanceof WinnersQuery) {
            return;
        } else if (message instanceof Challenge challenge) {
            out.put(challenge.nonce());
        } else if (message instanceof Welcome welcome) {
            out.putLong(welcome.stored()).put((byte) (welcome.done() ? 1 : 0));
        } else if (message instanceof BatchAccepted accepted) {
            out.putLong(accepted.firstOffset()).putShort((short) accepted.count()).putLong(accepted.stored());
        } else if (message instanceof BatchRejected rejected) {
            out.putLong(rejected.firstOffset());
            writeError(rejected.error(), out);
        } else if (message instanceof Winners winners) {
            out.put((byte) (winners.last() ? 1 : 0));
            putU16(out, winners.documents().size(), "document count");
            for (String document : winners.documents()) {
                writeString(document, "document", 0, out);
            }
        } else {
            writeError(((Failure) message).error(), out);
        }
    }

    private static void writeBet(Bet bet, int index, ByteBuffer out) {
        writeString(bet.firstName(), "first name", index, out);
        writeString(bet.lastName(), "last name", index, out);
        writeString(bet.document(), "document", index, out);
        String birthdate = bet.birthdate();
        if (birthdate.length() != BetRules.BIRTHDATE_LENGTH || Utf8.encodedLength(birthdate) != BetRules.BIRTHDATE_LENGTH) {
            throw new IllegalArgumentException("birthdate of bet " + index + " is not 10 ASCII characters: " + birthdate);
        }
        Utf8.encode(birthdate, out);
        int number = bet.number();
        if (number < 0 || number > 0xFFFF) {
            throw new IllegalArgumentException("number of bet " + index + " out of u16 range: " + number);
        }
        out.putShort((short) number);
    }

    private static void writeError(WireError error, ByteBuffer out) {
        out.put((byte) error.code().code());
        writeString(error.reason(), "reason", 0, out);
    }

    /** {@code index}, the bet the string belongs to (0 for none), only names it in errors. */
    private static void writeString(String s, String field, int index, ByteBuffer out) {
        int length = Utf8.encodedLength(s);
        if (length > MAX_STRING_BYTES) {
            String what = index > 0 ? field + " of bet " + index : field;
            throw new IllegalArgumentException(what + " is " + length + " bytes; a string field holds at most " + MAX_STRING_BYTES);
        }
        out.put((byte) length);
        Utf8.encode(s, out);
    }

    private static void putU16(ByteBuffer out, int value, String what) {
        if (value < 0 || value > 0xFFFF) {
            throw new IllegalArgumentException(what + " out of u16 range: " + value);
        }
        out.putShort((short) value);
    }
}
