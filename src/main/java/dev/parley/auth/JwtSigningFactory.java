package dev.parley.auth;

import com.nimbusds.jose.JWSAlgorithm;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.exceptions.ConfigurationException;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The HS256 key that signs and verifies access tokens. Micronaut signs with the bean named
 * "generator" and verifies against every signature bean, so this one bean does both.
 */
@Factory
class JwtSigningFactory {

    private static final Logger LOG = LoggerFactory.getLogger(JwtSigningFactory.class);
    /** HS256 needs a key of at least 256 bits; a shorter one starts fine and fails every login. */
    static final int MIN_SECRET_BYTES = 32;

    @Singleton
    @Named("generator")
    io.micronaut.security.token.jwt.signature.SignatureGeneratorConfiguration generator(AuthConfig config) {
        var signature = new io.micronaut.security.token.jwt.signature.secret.SecretSignatureConfiguration("generator");
        signature.setJwsAlgorithm(JWSAlgorithm.HS256);
        signature.setSecret(secretFrom(config.jwtSecret()));
        return new io.micronaut.security.token.jwt.signature.secret.SecretSignature(signature);
    }

    static String secretFrom(String configured) {
        if (configured == null || configured.isBlank()) {
            byte[] random = new byte[48];
            new SecureRandom().nextBytes(random);
            LOG.warn("PARLEY_JWT_SECRET is not set: signing tokens with a random secret generated for this process."
                    + " Tokens stop working at restart and are not accepted by other instances. Set it in production.");
            return Base64.getEncoder().encodeToString(random);
        }
        if (configured.getBytes(StandardCharsets.UTF_8).length < MIN_SECRET_BYTES) {
            throw new ConfigurationException("PARLEY_JWT_SECRET must be at least " + MIN_SECRET_BYTES + " bytes long");
        }
        return configured;
    }
}
