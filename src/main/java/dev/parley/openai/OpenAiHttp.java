package dev.parley.openai;

import io.micronaut.json.JsonMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One OpenAI endpoint (moderations): posts JSON with the bearer key, bounds the whole exchange by a
 * timeout, and sorts each answer the way OpenAI's own clients do; embeddings, which go through
 * langchain4j, sort their failures with the same {@link #outcomeOf}, so both retry, wait or give up
 * on the same statuses.
 */
public final class OpenAiHttp {

    /** What an answer means for the caller. */
    public enum Outcome {
        OK,
        /** 429: wait {@link Answer#retryAfter()} when given. */
        RATE_LIMITED,
        /** 5xx, 408, 409: retry with backoff. */
        TRANSIENT,
        /** Any other status: the key, URL or model is wrong; retrying will not help. */
        CONFIGURATION
    }

    /** An HTTP answer, with its outcome and the provider's requested wait. */
    public record Answer(int status, byte[] body, Duration retryAfter, Outcome outcome) {
    }

    /** The request did not get an answer: timeout, refused or reset connection, interruption. */
    public static final class Unreachable extends Exception {
        Unreachable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final String service;
    private final URI endpoint;
    private final String apiKey;
    private final Duration timeout;
    private final JsonMapper json;
    private final Clock clock;
    private final HttpClient http;

    /**
     * @param service how messages name the endpoint, e.g. "OpenAI moderation"
     */
    public OpenAiHttp(String service, URI endpoint, String apiKey, Duration timeout, JsonMapper json, Clock clock) {
        this.service = service;
        this.endpoint = endpoint;
        this.apiKey = apiKey.trim();
        this.timeout = timeout;
        this.json = json;
        this.clock = clock;
        this.http = HttpClient.newBuilder()
                .connectTimeout(timeout)
                // HTTP/1.1: a plain-http OpenAI-compatible server need not understand an h2c upgrade.
                .version(HttpClient.Version.HTTP_1_1)
                // A redirect means a wrong base URL; following it would resend the key elsewhere.
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /** Posts a JSON body and waits at most the timeout for the whole answer. */
    public Answer post(byte[] body) throws Unreachable {
        HttpRequest request = HttpRequest.newBuilder(endpoint)
                .timeout(timeout)
                .header("Authorization", "Bearer " + apiKey)
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        CompletableFuture<HttpResponse<byte[]>> exchange = http.sendAsync(request,
                HttpResponse.BodyHandlers.ofByteArray());
        HttpResponse<byte[]> response;
        // The request timeout stops at the response headers; this bounds a body that trickles in too.
        try {
            response = exchange.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            exchange.cancel(true);
            throw new Unreachable(service + " did not answer within " + timeout, e);
        } catch (ExecutionException e) {
            // Timeouts, refused and reset connections all arrive here as IOExceptions.
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new Unreachable(service + " request failed: " + cause.getClass().getSimpleName(), cause);
        } catch (InterruptedException e) {
            exchange.cancel(true);
            Thread.currentThread().interrupt();
            throw new Unreachable("interrupted while waiting for " + service, e);
        }
        int status = response.statusCode();
        Outcome outcome = outcomeOf(status);
        Duration retryAfter = outcome == Outcome.RATE_LIMITED
                ? OpenAiErrors.retryAfter(response.headers().firstValue("Retry-After").orElse(null), clock.instant())
                : null;
        return new Answer(status, response.body(), retryAfter, outcome);
    }

    /** What a status means for the caller, for every OpenAI client alike. */
    public static Outcome outcomeOf(int status) {
        return status == 429 ? Outcome.RATE_LIMITED
                // OpenAI's own client libraries retry 408 and 409 alongside 5xx: they are not about our settings.
                : status >= 500 || status == 408 || status == 409 ? Outcome.TRANSIENT
                : status >= 200 && status < 300 ? Outcome.OK : Outcome.CONFIGURATION;
    }

    /** "{service} answered {status}: {OpenAI's explanation}", never with the key. */
    public String describe(Answer answer) {
        return OpenAiErrors.describe(service, answer.status(), answer.body(), apiKey, json);
    }
}
