package ar.loteria.agency;

import ar.loteria.wire.Bet;
import ar.loteria.wire.BetRules;
import ar.loteria.wire.WireError;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * An agency's bets file, read one line at a time, so memory does not grow with the file:
 * {@code first_name,last_name,document,birthdate,number}, UTF-8, lines ending in {@code \n} or
 * {@code \r\n}, fields quoted as CSV quotes them when they hold a comma. Every bet is checked by
 * the same rules the central applies; the first bad line stops the reading with its number.
 */
final class BetFile implements BetSource {
    /** A line longer than this is not a bet: stop before buffering a runaway line. */
    static final int MAX_LINE_BYTES = 1024;

    private final InputStream in;
    private final long size;
    private final Clock clock;
    private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
    private final byte[] line = new byte[MAX_LINE_BYTES];
    private final List<String> fields = new ArrayList<>(5);
    private long bytesRead;
    private long lineNumber;

    private BetFile(InputStream in, long size, Clock clock) {
        this.in = in;
        this.size = size;
        this.clock = clock;
    }

    static BetFile open(Path path, Clock clock) throws IOException {
        return new BetFile(new BufferedInputStream(Files.newInputStream(path), 64 * 1024), Files.size(path), clock);
    }

    @Override
    public Bet next() throws IOException, BadDataException {
        while (true) {
            int length = readLine();
            if (length < 0) {
                return null;
            }
            if (length > 0) { // blank lines carry no bet
                return parse(length);
            }
        }
    }

    /** Reads the next line into {@link #line} without its terminator; -1 at the end of the file. */
    private int readLine() throws IOException, BadDataException {
        int length = 0;
        int b = in.read();
        if (b < 0) {
            return -1;
        }
        lineNumber++;
        while (b >= 0 && b != '\n') {
            bytesRead++;
            if (length == MAX_LINE_BYTES) {
                throw new BadDataException(lineNumber, "line longer than " + MAX_LINE_BYTES + " bytes");
            }
            line[length++] = (byte) b;
            b = in.read();
        }
        if (b == '\n') {
            bytesRead++;
        }
        if (length > 0 && line[length - 1] == '\r') {
            length--;
        }
        return length;
    }

    private Bet parse(int length) throws BadDataException {
        String text;
        try {
            text = utf8.decode(ByteBuffer.wrap(line, 0, length)).toString();
        } catch (CharacterCodingException e) {
            throw new BadDataException(lineNumber, "not valid UTF-8");
        }
        splitFields(text);
        if (fields.size() != 5) {
            throw new BadDataException(lineNumber, "expected 5 fields (first_name,last_name,document,birthdate,number), found " + fields.size());
        }
        int number;
        try {
            number = Integer.parseInt(fields.get(4).strip());
        } catch (NumberFormatException e) {
            throw new BadDataException(lineNumber, "number is not an integer: \"" + fields.get(4) + "\"");
        }
        Bet bet = new Bet(fields.get(0), fields.get(1), fields.get(2).strip(), fields.get(3).strip(), number);
        Optional<WireError> broken = BetRules.check(bet, LocalDate.now(clock));
        if (broken.isPresent()) {
            throw new BadDataException(lineNumber, broken.get().reason());
        }
        return bet;
    }

    /** CSV fields of one line: a quoted field may hold commas and doubled quotes. */
    private void splitFields(CharSequence text) throws BadDataException {
        fields.clear();
        StringBuilder field = new StringBuilder();
        int i = 0;
        while (true) {
            field.setLength(0);
            if (i < text.length() && text.charAt(i) == '"') {
                i++;
                while (true) {
                    if (i >= text.length()) {
                        throw new BadDataException(lineNumber, "a quoted field is never closed");
                    }
                    char c = text.charAt(i++);
                    if (c == '"') {
                        if (i < text.length() && text.charAt(i) == '"') {
                            i++;
                        } else {
                            break;
                        }
                    }
                    field.append(c);
                }
                if (i < text.length() && text.charAt(i) != ',') {
                    throw new BadDataException(lineNumber, "text after a closing quote");
                }
            } else {
                while (i < text.length() && text.charAt(i) != ',') {
                    field.append(text.charAt(i++));
                }
            }
            fields.add(field.toString());
            if (i >= text.length()) {
                return;
            }
            i++; // the comma
        }
    }

    @Override
    public int percentRead() {
        return size == 0 ? 100 : (int) Math.min(100, bytesRead * 100 / size);
    }

    @Override
    public boolean single() {
        return false;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
