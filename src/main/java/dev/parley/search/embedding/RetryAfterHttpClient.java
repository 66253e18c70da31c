package dev.parley.search.embedding;

import dev.langchain4j.exception.HttpException;
import dev.langchain4j.http.client.HttpClient;
import dev.langchain4j.http.client.HttpClientBuilder;
import dev.langchain4j.http.client.HttpRequest;
import dev.langchain4j.http.client.SuccessfulHttpResponse;
import dev.langchain4j.http.client.sse.ServerSentEventListener;
import dev.langchain4j.http.client.sse.ServerSentEventParser;
import dev.parley.openai.OpenAiErrors;

import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.UnaryOperator;

/**
 * langchain4j's HTTP transport, over the JDK's client. It exists because langchain4j's own clients keep only the
 * status and body of an error answer, and the pipeline needs a 429's {@code Retry-After}: an error answer is
 * thrown as an {@link ErrorAnswer} carrying it, which langchain4j's exception mapping keeps as the cause of its
 * {@code RateLimitException}.
 *
 * <p>As in the moderation client: HTTP/1.1, no redirects (they would resend the key elsewhere), and the whole
 * exchange, body included, bounded by the read timeout.
 */
final class RetryAfterHttpClient implements HttpClient {

    /** An answer other than 2xx: its status, OpenAI's error body, and for a 429 the wait it asked for. */
    static final class ErrorAnswer extends HttpException {

        private final transient byte[] body;
        private final Duration retryAfter;

        ErrorAnswer(int status, byte[] body, Duration retryAfter) {
            // Never the body in the message: a 401 quotes the key.
            super(status, "answered " + status);
            this.body = body;
            this.retryAfter = retryAfter;
        }

        byte[] body() {
            return body;
        }

        /** The delay a 429 asked for, or null. */
        Duration retryAfter() {
            return retryAfter;
        }
    }

    /** The request got no answer: timeout, refused or reset connection, interruption. */
    static final class Unreachable extends RuntimeException {
        Unreachable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final java.net.http.HttpClient http;
    private final Duration timeout;
    private final Clock clock;

    private RetryAfterHttpClient(Duration connectTimeout, Duration timeout, Clock clock) {
        this.timeout = timeout;
        this.clock = clock;
        this.http = java.net.http.HttpClient.newBuilder()
                .connectTimeout(connectTimeout)
                // A plain-http OpenAI-compatible server need not understand an h2c upgrade.
                .version(java.net.http.HttpClient.Version.HTTP_1_1)
                .followRedirects(java.net.http.HttpClient.Redirect.NEVER)
                .build();
    }

    /** What langchain4j's builder takes; {@code wrappedBy} adds a check around the transport. */
    static Builder builder(Clock clock) {
        return new Builder(clock);
    }

    @Override
    public SuccessfulHttpResponse execute(HttpRequest request) {
        if (!request.formDataFields().isEmpty() || !request.formDataFiles().isEmpty()) {
            throw new UnsupportedOperationException("form data: embeddings send JSON only");
        }
        java.net.http.HttpRequest.Builder outgoing = java.net.http.HttpRequest.newBuilder(URI.create(request.url()))
                .timeout(timeout)
                .method(request.method().name(), request.body() == null
                        ? java.net.http.HttpRequest.BodyPublishers.noBody()
                        : java.net.http.HttpRequest.BodyPublishers.ofString(request.body()));
        request.headers().forEach((name, values) -> values.forEach(value -> outgoing.header(name, value)));
        HttpResponse<byte[]> response = send(outgoing.build(), request.url());
        int status = response.statusCode();
        if (status < 200 || status > 299) {
            Duration retryAfter = status == 429
                    ? OpenAiErrors.retryAfter(response.headers().firstValue("Retry-After").orElse(null), clock.instant())
                    : null;
            throw new ErrorAnswer(status, response.body(), retryAfter);
        }
        return SuccessfulHttpResponse.builder()
                .statusCode(status)
                .headers(response.headers().map())
                .body(response.body())
                .build();
    }

    private HttpResponse<byte[]> send(java.net.http.HttpRequest request, String url) {
        CompletableFuture<HttpResponse<byte[]>> exchange = http.sendAsync(request,
                HttpResponse.BodyHandlers.ofByteArray());
        // The request timeout stops at the response headers; this bounds a body that trickles in too.
        try {
            return exchange.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            exchange.cancel(true);
            throw new Unreachable("OpenAI embeddings did not answer within " + timeout, e);
        } catch (ExecutionException e) {
            // Timeouts, refused and reset connections all arrive here as IOExceptions.
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new Unreachable("OpenAI embeddings request failed: " + cause.getClass().getSimpleName(), cause);
        } catch (InterruptedException e) {
            exchange.cancel(true);
            Thread.currentThread().interrupt();
            throw new Unreachable("interrupted while waiting for OpenAI embeddings at " + url, e);
        }
    }

    @Override
    public void execute(HttpRequest request, ServerSentEventParser parser, ServerSentEventListener listener) {
        throw new UnsupportedOperationException("streaming: embeddings answer in one piece");
    }

    static final class Builder implements HttpClientBuilder {

        private final Clock clock;
        private UnaryOperator<HttpClient> wrapper = UnaryOperator.identity();
        private Duration connectTimeout;
        private Duration readTimeout;

        private Builder(Clock clock) {
            this.clock = clock;
        }

        Builder wrappedBy(UnaryOperator<HttpClient> wrapper) {
            this.wrapper = wrapper;
            return this;
        }

        @Override
        public Duration connectTimeout() {
            return connectTimeout;
        }

        @Override
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = timeout;
            return this;
        }

        @Override
        public Duration readTimeout() {
            return readTimeout;
        }

        @Override
        public Builder readTimeout(Duration timeout) {
            this.readTimeout = timeout;
            return this;
        }

        @Override
        public HttpClient build() {
            return wrapper.apply(new RetryAfterHttpClient(connectTimeout, readTimeout, clock));
        }
    }
}
