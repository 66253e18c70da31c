package dev.parley.webhooks;

import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;

import java.io.ByteArrayOutputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * POSTs one signed message to a receiver: short connect and read timeouts, redirects not followed (a
 * 3xx is a failed attempt: following it would reach a target the guard never checked), and at most
 * {@code parley.webhooks.max-response-bytes} of the response read. Written on the JDK's HTTP client
 * because the receiver's URL is chosen at run time and its response must be read bounded, neither of
 * which Micronaut's declarative client is for.
 */
@Singleton
class WebhookSender {

    /** What one attempt got: a status (null when no response came), the time it took, and an error text. */
    record Outcome(@Nullable Integer status, int responseMs, @Nullable String error) {

        boolean delivered() {
            return status != null && status >= 200 && status < 300;
        }

        static Outcome refused(String reason) {
            return new Outcome(null, 0, "target refused: " + reason);
        }
    }

    private static final int ERROR_BODY_CHARS = 200;

    private final HttpClient client;
    private final WebhooksConfig config;

    WebhookSender(WebhooksConfig config) {
        this.config = config;
        this.client = HttpClient.newBuilder()
                .connectTimeout(config.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .version(HttpClient.Version.HTTP_1_1)
                .build();
    }

    Outcome send(URI target, Map<String, String> headers, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(target)
                .timeout(config.readTimeout())
                .header("Content-Type", "application/json")
                .header("User-Agent", "Parley-Webhooks/1")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        headers.forEach(request::header);
        long started = System.nanoTime();
        CompletableFuture<HttpResponse<String>> response = client.sendAsync(request.build(),
                info -> new BoundedBody(config.maxResponseBytes()));
        // The client's own timeouts end the connect and the wait for the status line; this bounds the
        // body too (a receiver trickling bytes), and covers both.
        Duration deadline = config.connectTimeout().plus(config.readTimeout().multipliedBy(2));
        try {
            HttpResponse<String> answer = response.get(deadline.toMillis(), TimeUnit.MILLISECONDS);
            int ms = elapsedMs(started);
            int status = answer.statusCode();
            if (status >= 200 && status < 300) {
                return new Outcome(status, ms, null);
            }
            return new Outcome(status, ms, "HTTP " + status + describeBody(answer.body()));
        } catch (TimeoutException e) {
            response.cancel(true);
            return new Outcome(null, elapsedMs(started), "timed out after " + deadline.toMillis() + " ms");
        } catch (ExecutionException e) {
            return new Outcome(null, elapsedMs(started), describe(e.getCause()));
        } catch (InterruptedException e) {
            response.cancel(true);
            Thread.currentThread().interrupt();
            return new Outcome(null, elapsedMs(started), "interrupted (the instance is shutting down)");
        }
    }

    private String describe(Throwable failure) {
        if (failure instanceof HttpConnectTimeoutException) {
            return "connect timed out after " + config.connectTimeout().toMillis() + " ms";
        }
        if (failure instanceof HttpTimeoutException) {
            return "no response within " + config.readTimeout().toMillis() + " ms";
        }
        if (failure instanceof ConnectException) {
            return "connection refused";
        }
        String message = failure.getMessage();
        return failure.getClass().getSimpleName() + (message == null ? "" : ": " + clean(message, ERROR_BODY_CHARS));
    }

    private static String describeBody(String body) {
        String text = clean(body, ERROR_BODY_CHARS);
        return text.isBlank() ? "" : ": " + text;
    }

    /** Printable characters only, shortened: the log shows this to admins. */
    private static String clean(String text, int max) {
        String printable = text.replaceAll("\\p{Cntrl}+", " ").strip();
        return printable.length() > max ? printable.substring(0, max) + "…" : printable;
    }

    private static int elapsedMs(long startedNanos) {
        return (int) Math.min(Integer.MAX_VALUE, (System.nanoTime() - startedNanos) / 1_000_000);
    }

    /** Collects at most {@code limit} bytes of a body, then cancels the rest (which closes the connection). */
    private static final class BoundedBody implements HttpResponse.BodySubscriber<String> {

        private final int limit;
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final CompletableFuture<String> result = new CompletableFuture<>();
        private Flow.Subscription subscription;

        BoundedBody(int limit) {
            this.limit = limit;
        }

        @Override
        public CompletionStage<String> getBody() {
            return result;
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            this.subscription = subscription;
            subscription.request(1);
        }

        @Override
        public void onNext(List<ByteBuffer> items) {
            for (ByteBuffer item : items) {
                int take = Math.min(item.remaining(), limit - bytes.size());
                byte[] chunk = new byte[take];
                item.get(chunk);
                bytes.write(chunk, 0, take);
                if (bytes.size() >= limit) {
                    subscription.cancel();
                    finish();
                    return;
                }
            }
            subscription.request(1);
        }

        @Override
        public void onError(Throwable throwable) {
            result.completeExceptionally(throwable);
        }

        @Override
        public void onComplete() {
            finish();
        }

        private void finish() {
            result.complete(bytes.toString(StandardCharsets.UTF_8));
        }
    }
}
