package dev.parley.auth;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.SignedJWT;
import io.micronaut.context.annotation.EachBean;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.security.token.jwt.nimbus.ReactiveJwksSignature;
import io.micronaut.security.token.jwt.signature.ReactiveSignatureConfiguration;
import io.micronaut.security.token.jwt.signature.jwks.JwkValidator;
import io.micronaut.security.token.jwt.signature.jwks.JwksSignatureConfiguration;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import java.text.ParseException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Verifies the identity provider's tokens against its published keys (a JWKS signature configured
 * under {@code micronaut.security.token.jwt.signatures.jwks.*}), with Micronaut's key validator and a
 * key fetch with timeouts ({@link BoundedJwksClient}), replacing Micronaut's key caching, which keeps a key set for a fixed time by the
 * wall clock: a provider that rotates to a key it did not publish ahead would see its tokens
 * refused until then. Here a token whose key id is not among the cached keys fetches them again at
 * once, but at most every {@code parley.oidc.jwks-min-refresh-interval}, so tokens with made-up key
 * ids cannot make Parley hammer the provider; otherwise the keys are kept for
 * {@code parley.oidc.jwks-max-age}. Times come from the injected clock.
 */
@EachBean(JwksSignatureConfiguration.class)
@Replaces(ReactiveJwksSignature.class)
class IdentityProviderKeys implements ReactiveSignatureConfiguration<SignedJWT> {

    private static final Logger LOG = LoggerFactory.getLogger(IdentityProviderKeys.class);

    /** The key set and when it was fetched. */
    private record Cached(JWKSet keys, Instant fetchedAt) {
    }

    private final JwksSignatureConfiguration configuration;
    private final JwkValidator validator;
    private final BoundedJwksClient client;
    private final Clock clock;
    private final OidcConfig oidc;
    private final AtomicReference<Cached> cached = new AtomicReference<>();
    /** The last fetch started, successful or not; a refresh for an unknown key id waits the interval after it. */
    private final AtomicReference<Instant> lastAttempt = new AtomicReference<>(Instant.MIN);

    IdentityProviderKeys(JwksSignatureConfiguration configuration, JwkValidator validator, BoundedJwksClient client,
                         Clock clock, OidcConfig oidc) {
        this.configuration = configuration;
        this.validator = validator;
        this.client = client;
        this.clock = clock;
        this.oidc = oidc;
    }

    @Override
    public Publisher<Boolean> verify(SignedJWT jwt) {
        JWSAlgorithm algorithm = jwt.getHeader().getAlgorithm();
        // Parley's own HMAC tokens are the secret's business: no key set is fetched for them.
        if (configuration.getUrl() == null || configuration.getUrl().isBlank()
                || !(JWSAlgorithm.Family.RSA.contains(algorithm) || JWSAlgorithm.Family.EC.contains(algorithm))) {
            return Mono.just(false);
        }
        return keysFor(jwt.getHeader().getKeyID()).map(keys -> matching(jwt, keys).stream()
                .anyMatch(key -> validator.validate(jwt, key))).defaultIfEmpty(false);
    }

    private Mono<JWKSet> keysFor(String keyId) {
        Cached current = cached.get();
        Instant now = clock.instant();
        boolean stale = current == null || !now.isBefore(current.fetchedAt().plus(oidc.jwksMaxAge()));
        boolean unknownKey = current != null && keyId != null && current.keys().getKeyByKeyId(keyId) == null;
        if (!stale && !unknownKey) {
            return Mono.just(current.keys());
        }
        if (stale) {
            // Every request that finds the keys stale fetches them (a handful at the moment they expire).
            lastAttempt.set(now);
        } else {
            Instant last = lastAttempt.get();
            if (now.isBefore(last.plus(oidc.jwksMinRefreshInterval())) || !lastAttempt.compareAndSet(last, now)) {
                return Mono.just(current.keys());
            }
        }
        return client.load(configuration.getUrl())
                .map(IdentityProviderKeys::parse)
                .doOnNext(keys -> cached.set(new Cached(keys, now)))
                .onErrorResume(failure -> {
                    LOG.warn("Fetching the identity provider's keys from {} failed: {}", configuration.getUrl(),
                            failure.toString());
                    return current == null ? Mono.empty() : Mono.just(current.keys());
                })
                .switchIfEmpty(Mono.defer(() -> current == null ? Mono.empty() : Mono.just(current.keys())));
    }

    private static JWKSet parse(String json) {
        try {
            return JWKSet.parse(json);
        } catch (ParseException e) {
            throw new IllegalStateException("The identity provider's key set is not a JWKS", e);
        }
    }

    private static List<JWK> matching(SignedJWT jwt, JWKSet keys) {
        JWKMatcher.Builder matcher = new JWKMatcher.Builder();
        if (jwt.getHeader().getKeyID() != null) {
            matcher.keyID(jwt.getHeader().getKeyID());
        }
        return new JWKSelector(matcher.build()).select(keys);
    }
}
