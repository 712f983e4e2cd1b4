package ar.loteria.central;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * One answer of the central's status view, fetched over a plain socket as a monitoring agent or
 * compose's health check would: HTTP/1.0, the connection closed after the answer. With a JSON
 * reader small enough to keep here, so that the tests check that the hand-written JSON parses.
 */
public record StatusPage(int code, Map<String, String> headers, String body) {
    private static final int TIMEOUT_MILLIS = 10_000;

    public static StatusPage get(InetSocketAddress address, String path) throws IOException {
        return request(address, "GET", path);
    }

    public static StatusPage request(InetSocketAddress address, String method, String path) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(address, TIMEOUT_MILLIS);
            socket.setSoTimeout(TIMEOUT_MILLIS);
            OutputStream out = socket.getOutputStream();
            out.write((method + " " + path + " HTTP/1.0\r\nHost: status\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return parse(socket.getInputStream().readAllBytes());
        }
    }

    /** Fetches {@code path} until {@code wanted} holds, for at most 20 s. */
    public static StatusPage await(InetSocketAddress address, String path, Predicate<StatusPage> wanted) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (true) {
            StatusPage page = get(address, path);
            if (wanted.test(page)) {
                return page;
            }
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("never so; the last answer: " + page);
            }
            Thread.sleep(20);
        }
    }

    private static StatusPage parse(byte[] bytes) {
        String text = new String(bytes, StandardCharsets.UTF_8);
        int end = text.indexOf("\r\n\r\n");
        String[] head = text.substring(0, end).split("\r\n");
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < head.length; i++) {
            int colon = head[i].indexOf(':');
            headers.put(head[i].substring(0, colon).strip().toLowerCase(), head[i].substring(colon + 1).strip());
        }
        return new StatusPage(Integer.parseInt(head[0].split(" ")[1]), headers, text.substring(end + 4));
    }

    /** The samples of a Prometheus text page, by series; fails on a line that is neither a comment nor a sample. */
    public Map<String, Double> samples() {
        Map<String, Double> samples = new LinkedHashMap<>();
        for (String line : body.split("\n")) {
            if (line.startsWith("# HELP ") || line.startsWith("# TYPE ")) {
                continue;
            }
            if (!line.matches("[a-z_]+(\\{[a-z_]+=\"[a-z_]+\"})? (-?[0-9]+(\\.[0-9]+)?|NaN)")) {
                throw new AssertionError("not a sample of the text format: " + line);
            }
            int space = line.lastIndexOf(' ');
            samples.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
        }
        return samples;
    }

    /** The body as JSON: objects as maps, numbers as doubles. */
    public Object json() {
        Json reader = new Json(body.strip());
        Object value = reader.value();
        if (reader.at != reader.text.length()) {
            throw new AssertionError("text after the JSON value at " + reader.at + ": " + body);
        }
        return value;
    }

    /** The JSON value at a path of object names, say {@code "agencies", "done"}. */
    public Object json(String... path) {
        Object value = json();
        for (String name : path) {
            if (!(value instanceof Map<?, ?> object) || !object.containsKey(name)) {
                throw new AssertionError("no " + String.join(".", path) + " in " + body);
            }
            value = object.get(name);
        }
        return value;
    }

    /** Just enough JSON: objects, arrays, strings without escapes, numbers, true, false, null. */
    private static final class Json {
        final String text;
        int at;

        Json(String text) {
            this.text = text;
        }

        Object value() {
            char c = text.charAt(at);
            if (c == '{') {
                Map<String, Object> object = new LinkedHashMap<>();
                at++;
                while (text.charAt(at) != '}') {
                    String name = string();
                    expect(':');
                    object.put(name, value());
                    if (text.charAt(at) == ',') {
                        at++;
                    }
                }
                at++;
                return object;
            }
            if (c == '[') {
                List<Object> array = new ArrayList<>();
                at++;
                while (text.charAt(at) != ']') {
                    array.add(value());
                    if (text.charAt(at) == ',') {
                        at++;
                    }
                }
                at++;
                return array;
            }
            if (c == '"') {
                return string();
            }
            for (String word : new String[] {"true", "false", "null"}) {
                if (text.startsWith(word, at)) {
                    at += word.length();
                    return word.equals("null") ? null : Boolean.valueOf(word);
                }
            }
            int start = at;
            while (at < text.length() && "-+.eE0123456789".indexOf(text.charAt(at)) >= 0) {
                at++;
            }
            if (start == at) {
                throw new AssertionError("not JSON at " + at + ": " + text);
            }
            return Double.parseDouble(text.substring(start, at));
        }

        String string() {
            expect('"');
            int end = text.indexOf('"', at);
            String s = text.substring(at, end);
            if (s.indexOf('\\') >= 0) {
                throw new AssertionError("an escape, which this reader does not take: " + s);
            }
            at = end + 1;
            return s;
        }

        void expect(char c) {
            if (text.charAt(at) != c) {
                throw new AssertionError("expected " + c + " at " + at + ": " + text);
            }
            at++;
        }
    }
}
