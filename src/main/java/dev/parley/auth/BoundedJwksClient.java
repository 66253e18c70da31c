package dev.parley.auth;

import com.nimbusds.jose.util.DefaultResourceRetriever;
import io.micronaut.scheduling.TaskExecutors;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

import java.net.URI;
import java.util.concurrent.ExecutorService;

/**
 * Fetches the identity provider's key set with bounded waits and size. Written by hand because
 * Micronaut's {@code ResourceRetrieverJwksClient} (its JWKS client without Micronaut's HTTP client, as
 * in the service) builds its retriever with no connect or read timeout and no size limit: a provider
 * that accepts the connection and never answers would hold a thread, and every sign-in waiting on it,
 * forever. The same client runs in tests, where Micronaut would pick its HTTP client instead.
 */
@Singleton
class BoundedJwksClient {

    /** A key set is a few kilobytes; a provider answering more is not answering a key set. */
    static final int MAX_BYTES = 512 * 1024;

    private final DefaultResourceRetriever retriever;
    private final Scheduler scheduler;

    BoundedJwksClient(OidcConfig oidc, @Named(TaskExecutors.BLOCKING) ExecutorService blocking) {
        int millis = Math.toIntExact(oidc.jwksTimeout().toMillis());
        this.retriever = new DefaultResourceRetriever(millis, millis, MAX_BYTES);
        this.scheduler = Schedulers.fromExecutorService(blocking);
    }

    /** The key set document at {@code url}, fetched on a blocking thread. */
    Mono<String> load(String url) {
        return Mono.fromCallable(() -> retriever.retrieveResource(URI.create(url).toURL()).getContent())
                .subscribeOn(scheduler);
    }
}
