package dev.parley.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 over a plain socket, for requests the JDK client refuses to send: invalid UTF-8 in the
 * request line or headers, duplicate or contradicting Content-Length, broken chunking, a declared
 * body far larger than what is sent. The request bytes are written as given, on a thread of their
 * own so that a server answering early (413) and closing is read rather than lost in a write error.
 */
public final class RawHttp {

    /** The answer: status -1 when the server closed the connection without one. */
    public record Answer(int status, Map<String, String> headers, String body) {

        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    private RawHttp() {
    }

    public static Answer exchange(String host, int port, byte[] request) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 5_000);
            socket.setSoTimeout(15_000);
            OutputStream out = socket.getOutputStream();
            Thread writer = new Thread(() -> {
                try {
                    out.write(request);
                    out.flush();
                } catch (IOException closedEarly) {
                    // the server answered (or gave up) before reading everything: what we read tells
                }
            }, "raw-http-writer");
            writer.setDaemon(true);
            writer.start();
            Answer answer = read(socket.getInputStream());
            writer.join(1_000);
            return answer;
        } catch (IOException e) {
            return new Answer(-1, Map.of(), e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A request head (request line and header lines, CRLF-joined, with the blank line) followed by a body. */
    public static byte[] request(String head, byte[] body) {
        byte[] headBytes = head.getBytes(StandardCharsets.ISO_8859_1);
        byte[] all = new byte[headBytes.length + body.length];
        System.arraycopy(headBytes, 0, all, 0, headBytes.length);
        System.arraycopy(body, 0, all, headBytes.length, body.length);
        return all;
    }

    private static Answer read(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        try {
            int last4 = 0;
            int b;
            while ((b = in.read()) >= 0) {
                head.write(b);
                last4 = (last4 << 8) | b;
                if (last4 == 0x0D0A0D0A) {
                    break;
                }
            }
        } catch (SocketTimeoutException | java.net.SocketException e) {
            // fall through with what arrived
        }
        String text = head.toString(StandardCharsets.ISO_8859_1);
        if (!text.startsWith("HTTP/")) {
            return new Answer(-1, Map.of(), text);
        }
        String[] lines = text.split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
            }
        }
        byte[] body = new byte[0];
        try {
            String length = headers.get("content-length");
            if (length != null) {
                body = in.readNBytes(Integer.parseInt(length));
            } else if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
                body = readChunked(in);
            }
        } catch (IOException e) {
            // a truncated body still tells the status
        }
        return new Answer(status, headers, new String(body, StandardCharsets.UTF_8));
    }

    private static byte[] readChunked(InputStream in) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String sizeLine = line(in);
            int size = Integer.parseInt(sizeLine.split(";")[0].trim(), 16);
            if (size == 0) {
                line(in);
                return body.toByteArray();
            }
            body.write(in.readNBytes(size));
            line(in);
        }
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0 && b != '\n') {
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.ISO_8859_1);
    }
}
