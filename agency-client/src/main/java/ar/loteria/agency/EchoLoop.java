package ar.loteria.agency;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * The course skeleton's client, for the Docker part of the course: {@code loop.amount} times,
 * connect, send one line, read the echo, close, wait {@code loop.period}.
 */
final class EchoLoop {
    private static final int MAX_LINE_BYTES = 8192;

    private final AgencyConfig config;
    private final AgencyLog log;
    private final Connector connector;
    private final Stop stop;

    EchoLoop(AgencyConfig config, AgencyLog log, Stop stop) {
        this.config = config;
        this.log = log;
        this.stop = stop;
        this.connector = new Connector(config, log, stop);
    }

    int run() throws Stop.Stopped {
        for (int k = 1; k <= config.loopAmount(); k++) {
            String message = "[CLIENT " + config.id() + "] Message N°" + k;
            try (Socket socket = connector.connect()) {
                socket.setSoTimeout(AgencyConfig.timeoutMillis(config.replyTimeout()));
                socket.getOutputStream().write((message + "\n").getBytes(StandardCharsets.UTF_8));
                String echo = readLine(socket.getInputStream());
                log.echoed(echo);
                connector.progressed();
            } catch (Connector.Unreachable e) {
                return 1;
            } catch (IOException e) {
                stop.check();
                log.echoFailed(e.toString());
                return 1;
            }
            log.closed("socket");
            if (k < config.loopAmount()) {
                stop.sleep(config.loopPeriod());
            }
        }
        log.loopFinished();
        return 0;
    }

    /** One line, however many reads it takes, without its line end. */
    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new IOException("the central closed the connection before the end of the line");
            }
            if (line.size() == MAX_LINE_BYTES) {
                throw new IOException("echo line longer than " + MAX_LINE_BYTES + " bytes");
            }
            line.write(b);
        }
        return line.toString(StandardCharsets.UTF_8).replaceAll("\r$", "");
    }
}
