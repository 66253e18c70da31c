package dev.parley.auth;

import io.micronaut.context.event.StartupEvent;
import io.micronaut.runtime.event.annotation.EventListener;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Creates the admin named by PARLEY_ADMIN_USERNAME / PARLEY_ADMIN_PASSWORD on first start. */
@Singleton
class AdminBootstrap {

    private static final Logger LOG = LoggerFactory.getLogger(AdminBootstrap.class);

    private final AuthConfig config;
    private final AccountService accounts;
    private final UserRepository users;
    private final PasswordHasher hasher;

    AdminBootstrap(AuthConfig config, AccountService accounts, UserRepository users, PasswordHasher hasher) {
        this.hasher = hasher;
        this.config = config;
        this.accounts = accounts;
        this.users = users;
    }

    @EventListener
    @Transactional
    void onStartup(StartupEvent event) {
        String username = config.adminUsername();
        String password = config.adminPassword();
        if (username == null || username.isBlank() || password == null || password.isBlank()) {
            return;
        }
        // An existing account keeps its password: the environment only seeds the first admin.
        users.findByUsernameEqualsIgnoreCaseAndDeletedAtIsNull(username).ifPresentOrElse(
                existing -> {
                    if (existing.role() != Role.ADMIN) {
                        LOG.warn("Bootstrap admin '{}' exists with role {}; leaving it unchanged", username,
                                existing.role().wire());
                    }
                },
                () -> {
                    accounts.create(username, username + "@admin.invalid", hasher.hash(password), Role.ADMIN);
                    LOG.info("Created bootstrap admin '{}'", username);
                });
    }
}
