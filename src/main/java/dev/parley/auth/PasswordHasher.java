package dev.parley.auth;

import jakarta.inject.Singleton;
import org.springframework.security.crypto.argon2.Argon2PasswordEncoder;

/**
 * Argon2id with a random salt per password, at OWASP's recommended cost (19 MiB, 2 passes) unless
 * configured otherwise. The encoded form carries its parameters, so raising the cost later still
 * verifies old hashes.
 */
@Singleton
class PasswordHasher {

    private static final int SALT_BYTES = 16;
    private static final int HASH_BYTES = 32;

    private final Argon2PasswordEncoder encoder;
    /** Verified against when a username does not exist, so both paths take the same time. */
    private final String decoy;

    PasswordHasher(AuthConfig config) {
        this.encoder = new Argon2PasswordEncoder(SALT_BYTES, HASH_BYTES, 1, config.argon2MemoryKib(),
                config.argon2Iterations());
        this.decoy = encoder.encode("decoy password for unknown users");
    }

    String hash(String password) {
        return encoder.encode(password);
    }

    boolean matches(String password, String hash) {
        return encoder.matches(password, hash);
    }

    /** Spends the cost of one verification without a real hash. */
    void burnVerification(String password) {
        encoder.matches(password, decoy);
    }
}
