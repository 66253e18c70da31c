package dev.parley.support;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A webhook receiver as a subscriber would write one, verifying each request per the Standard Webhooks
 * specification with code of its own (not Parley's): the signature over {@code id.timestamp.body} with
 * the key after {@code whsec_}, any of the space-separated {@code v1,} signatures matching in constant
 * time, and the timestamp within a tolerance of its own clock. It answers the statuses it is given,
 * then 200, and records every request.
 */
public final class WebhookReceiver implements AutoCloseable {

    public static final Duration TOLERANCE = Duration.ofMinutes(5);

    /** One request as received, with the receiver's verdicts. */
    public record Received(String id, String timestamp, String body, boolean signatureValid, boolean timestampFresh,
                    int answered) {

        public boolean accepted() {
            return signatureValid && timestampFresh && answered >= 200 && answered < 300;
        }
    }

    private final HttpServer server;
    private final Clock clock;
    private volatile String secret;
    private final Deque<Integer> statuses = new ArrayDeque<>();
    private final List<Received> received = new ArrayList<>();
    private int otherwise = 200;
    private String failureBody = "";
    private boolean stallNext;
    /** Released on close: a stalled request waits for it, not for a time. */
    private final CountDownLatch closing = new CountDownLatch(1);

    public WebhookReceiver(Clock clock) throws IOException {
        this.clock = clock;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.createContext("/hook", this::handle);
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public void secret(String whsec) {
        this.secret = whsec;
    }

    /** Answers these statuses in turn, then {@code otherwise}. */
    public synchronized void answer(int... next) {
        for (int status : next) {
            statuses.add(status);
        }
    }

    public synchronized void otherwise(int status) {
        this.otherwise = status;
    }

    /** The next request gets no answer until the receiver is closed: the sender's read timeout ends it. */
    public synchronized void stallNext() {
        this.stallNext = true;
    }

    /** What non-2xx answers carry as their body (text a receiver's error page might hold). */
    public synchronized void failureBody(String body) {
        this.failureBody = body;
    }

    public synchronized List<Received> received() {
        return List.copyOf(received);
    }

    public synchronized List<Received> accepted() {
        return received.stream().filter(Received::accepted).toList();
    }

    private void handle(HttpExchange exchange) throws IOException {
        String body;
        try (InputStream in = exchange.getRequestBody()) {
            body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        String id = exchange.getRequestHeaders().getFirst("webhook-id");
        String timestamp = exchange.getRequestHeaders().getFirst("webhook-timestamp");
        String signatures = exchange.getRequestHeaders().getFirst("webhook-signature");
        boolean valid = id != null && timestamp != null && signatures != null && verify(id, timestamp, body, signatures);
        boolean fresh = timestamp != null && fresh(timestamp);
        int status;
        byte[] answer;
        boolean stall;
        synchronized (this) {
            stall = stallNext;
            stallNext = false;
            status = statuses.isEmpty() ? otherwise : statuses.poll();
            received.add(new Received(id, timestamp, body, valid, fresh, status));
            answer = status >= 200 && status < 300 ? new byte[0] : failureBody.getBytes(StandardCharsets.UTF_8);
        }
        if (stall) {
            try {
                closing.await(1, TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.close();
            return;
        }
        if (status >= 300 && status < 400) {
            exchange.getResponseHeaders().add("Location", url() + "/elsewhere");
        }
        exchange.sendResponseHeaders(status, answer.length == 0 ? -1 : answer.length);
        if (answer.length > 0) {
            exchange.getResponseBody().write(answer);
        }
        exchange.close();
    }

    private boolean verify(String id, String timestamp, String body, String header) {
        try {
            byte[] key = Base64.getDecoder().decode(secret.substring("whsec_".length()));
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            byte[] expected = mac.doFinal((id + "." + timestamp + "." + body).getBytes(StandardCharsets.UTF_8));
            for (String candidate : header.split(" ")) {
                if (candidate.startsWith("v1,") && MessageDigest.isEqual(expected,
                        Base64.getDecoder().decode(candidate.substring(3)))) {
                    return true;
                }
            }
            return false;
        } catch (Exception e) {
            return false;
        }
    }

    private boolean fresh(String timestamp) {
        try {
            long sent = Long.parseLong(timestamp);
            return Math.abs(clock.instant().getEpochSecond() - sent) <= TOLERANCE.toSeconds();
        } catch (NumberFormatException e) {
            return false;
        }
    }

    @Override
    public void close() {
        closing.countDown();
        server.stop(0);
    }
}
