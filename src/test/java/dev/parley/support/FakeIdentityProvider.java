package dev.parley.support;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small OpenID Connect identity provider for tests: it serves its public keys as a JWKS over HTTP
 * and signs RS256 and ES256 access tokens with the private keys it generated. Keys can be rotated
 * (new ones published, old ones withdrawn) and the JWKS requests are counted.
 */
public final class FakeIdentityProvider implements AutoCloseable {

    public static final String AUDIENCE = "parley-api";

    private final HttpServer server;
    private final List<JWK> published = new CopyOnWriteArrayList<>();
    private final AtomicInteger jwksRequests = new AtomicInteger();

    /** Starts on the first free port of [from, to]. */
    public FakeIdentityProvider(int from, int to) {
        HttpServer started = null;
        for (int port = from; port <= to && started == null; port++) {
            try {
                started = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 16);
            } catch (BindException taken) {
                // next port
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        if (started == null) {
            throw new IllegalStateException("no free port in " + from + ".." + to);
        }
        server = started;
        server.createContext("/jwks.json", exchange -> {
            jwksRequests.incrementAndGet();
            byte[] body = new JWKSet(List.copyOf(published)).toPublicJWKSet().toString()
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
    }

    public String issuer() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/realms/test";
    }

    public String jwksUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/jwks.json";
    }

    public int jwksRequests() {
        return jwksRequests.get();
    }

    /** A new RSA key (RS256), published at once unless {@code publish} is false. */
    public RSAKey rsaKey(boolean publish) {
        try {
            RSAKey key = new RSAKeyGenerator(2048).keyID("rsa-" + UUID.randomUUID())
                    .algorithm(JWSAlgorithm.RS256).generate();
            if (publish) {
                published.add(key);
            }
            return key;
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A new EC P-256 key (ES256), published at once. */
    public ECKey ecKey() {
        try {
            ECKey key = new ECKeyGenerator(Curve.P_256).keyID("ec-" + UUID.randomUUID())
                    .algorithm(JWSAlgorithm.ES256).generate();
            published.add(key);
            return key;
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    public void publish(JWK key) {
        published.add(key);
    }

    public void withdraw(JWK key) {
        published.removeIf(k -> k.getKeyID().equals(key.getKeyID()));
    }

    /** Claims as a provider sends them: this issuer, the audience, an hour to live. */
    public JWTClaimsSet.Builder claims(String subject) {
        long now = System.currentTimeMillis();
        return new JWTClaimsSet.Builder().issuer(issuer()).subject(subject).audience(AUDIENCE)
                .issueTime(new java.util.Date(now)).expirationTime(new java.util.Date(now + 3_600_000));
    }

    /** Signs the claims with the key (RS256 for RSA, ES256 for EC), naming the key's id in the header. */
    public String sign(JWK key, JWTClaimsSet claims) {
        try {
            JWSSigner signer = key instanceof RSAKey rsa ? new RSASSASigner(rsa) : new ECDSASigner((ECKey) key);
            JWSAlgorithm algorithm = key instanceof RSAKey ? JWSAlgorithm.RS256 : JWSAlgorithm.ES256;
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(algorithm).keyID(key.getKeyID()).build(), claims);
            jwt.sign(signer);
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
