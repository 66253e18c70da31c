package dev.parley.auth;

import dev.parley.support.Api;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The derived username finders on the real database: case is ignored (the unique index is on
 * {@code lower(username)}), but '_' is a plain character, never a LIKE wildcard, since usernames may
 * contain it.
 */
@MicronautTest(transactional = false)
class UserRepositoryTest {

    @Inject
    UserRepository users;

    @Test
    void usernameLookupsIgnoreCaseButMatchUnderscoresLiterally() {
        String suffix = Api.unique("");
        String name = "Wild_" + suffix;
        users.save(UserAccount.newAccount(name, suffix + "@example.com", "not-a-hash", Role.MODERATOR, TrustLevel.NEW,
                Instant.parse("2026-01-01T00:00:00Z")));

        assertTrue(users.existsByUsernameEqualsIgnoreCaseAndDeletedAtIsNull(name.toUpperCase(Locale.ROOT)));
        assertFalse(users.existsByUsernameEqualsIgnoreCaseAndDeletedAtIsNull("WildX" + suffix));
        UserAccount found = users.findByUsernameEqualsIgnoreCaseAndDeletedAtIsNull("wild_" + suffix).orElseThrow();
        assertEquals(name, found.username());
        assertEquals(Role.MODERATOR, found.role());
        assertTrue(users.existsByEmailEqualsIgnoreCase(suffix.toUpperCase(Locale.ROOT) + "@EXAMPLE.COM"));
    }
}
