package dev.parley.auth;

import dev.parley.common.StorableText;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import org.springframework.security.crypto.argon2.Argon2PasswordEncoder;

import java.util.concurrent.Semaphore;
import java.util.function.Supplier;

/**
 * Argon2id with a random salt per password, at OWASP's recommended cost (19 MiB, 2 passes) unless
 * configured otherwise. The encoded form carries its parameters, so raising the cost later still
 * verifies old hashes. At most one hash per core runs at a time: each holds its memory (19 MiB) while
 * it runs, and the blocking executor has no bound, so fifty logins at once from fifty addresses would
 * otherwise take a gigabyte of heap; the rest wait their turn, which costs them no memory.
 */
@Singleton
class PasswordHasher {

    private static final int SALT_BYTES = 16;
    private static final int HASH_BYTES = 32;

    private final Argon2PasswordEncoder encoder;
    private final Semaphore running = new Semaphore(Runtime.getRuntime().availableProcessors(), true);
    /** Verified against when a username does not exist, so both paths take the same time. */
    private final String decoy;

    PasswordHasher(AuthConfig config) {
        this.encoder = new Argon2PasswordEncoder(SALT_BYTES, HASH_BYTES, 1, config.argon2MemoryKib(),
                config.argon2Iterations());
        this.decoy = encoder.encode("decoy password for unknown users");
    }

    /** 422 for a password with an unpaired surrogate: it has no UTF-8 form to hash (the encoder threw). */
    String hash(String password) {
        StorableText.require("password", password.replace('\0', ' '));
        return gated(() -> encoder.encode(password));
    }

    /**
     * False for a password that could never have been registered, and for an account without a
     * password (deleted, or signed in through an identity provider), after the same work as a wrong one.
     */
    boolean matches(String password, @Nullable String hash) {
        if (hash == null) {
            burnVerification(password);
            return false;
        }
        if (!StorableText.isStorable(password.replace('\0', ' '))) {
            gated(() -> encoder.matches("decoy password for unknown users", hash));
            return false;
        }
        return gated(() -> encoder.matches(password, hash));
    }

    /** Spends the cost of one verification without a real hash. */
    void burnVerification(String password) {
        String burnt = StorableText.isStorable(password.replace('\0', ' ')) ? password : "decoy";
        gated(() -> encoder.matches(burnt, decoy));
    }

    private <T> T gated(Supplier<T> hashing) {
        running.acquireUninterruptibly();
        try {
            return hashing.get();
        } finally {
            running.release();
        }
    }
}
