package dev.parley.auth;

import dev.parley.abuse.LoginLimits;
import dev.parley.abuse.RegistrationLimits;
import dev.parley.common.DomainException;
import dev.parley.common.UniqueViolations;
import io.micronaut.transaction.TransactionOperations;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;

import java.sql.Connection;
import java.time.Clock;
import java.util.List;
import java.util.Locale;

/** Registration, login and the staff actions on accounts (role changes, suspension). */
@Singleton
class AccountService {

    private final UserRepository users;
    private final PasswordHasher hasher;
    private final TokenIssuer tokens;
    private final Clock clock;
    private final LoginLimits loginLimits;
    private final RegistrationLimits registrationLimits;
    private final TransactionOperations<Connection> tx;
    private final TrustConfig trust;
    private final UsernameScreen usernames;

    AccountService(UserRepository users, PasswordHasher hasher, TokenIssuer tokens, Clock clock,
                   LoginLimits loginLimits, RegistrationLimits registrationLimits, TransactionOperations<Connection> tx,
                   TrustConfig trust, UsernameScreen usernames) {
        this.trust = trust;
        this.usernames = usernames;
        this.tx = tx;
        this.users = users;
        this.hasher = hasher;
        this.tokens = tokens;
        this.clock = clock;
        this.loginLimits = loginLimits;
        this.registrationLimits = registrationLimits;
    }

    /**
     * Creates a member account; 409 when the username or email is already taken (ignoring case), 422
     * naming {@code username} when moderation would not let the name be shown. The attempt is charged
     * to the client address first (429), in a transaction of its own, so a refused one pays neither the
     * name's screening nor the password hash and writes nothing, and a 409 stays counted. The name is
     * screened and the password hashed before the account's transaction, so no connection is held
     * while the provider answers or the hash runs.
     */
    UserView register(AccountRequests.Register request, String clientAddress) {
        registrationLimits.charge(clientAddress);
        List<String> objections = usernames.objections(request.username());
        if (!objections.isEmpty()) {
            throw DomainException.invalid("username",
                    "is not allowed by the moderation policy (" + String.join(", ", objections) + ")");
        }
        String passwordHash = hasher.hash(request.password());
        return tx.executeWrite(status -> UserView.of(
                create(request.username(), request.email(), passwordHash, Role.MEMBER), true));
    }

    /** Creates an account with an already hashed password; 409 when the username or email is taken. */
    UserAccount create(String username, String email, String passwordHash, Role role) {
        if (users.existsByUsernameEqualsIgnoreCase(username)) {
            throw DomainException.conflict("The username is already taken.");
        }
        if (users.existsByEmailEqualsIgnoreCase(email)) {
            throw DomainException.conflict("The email is already registered.");
        }
        UserAccount account = UserAccount.newAccount(username, email.toLowerCase(Locale.ROOT), passwordHash,
                role, trust.initial(), clock.instant());
        return UniqueViolations.translate(() -> users.save(account),
                () -> DomainException.conflict("The username or email is already taken."));
    }

    /**
     * Checks the credentials and issues an access token. Unknown users and wrong passwords get the
     * same answer after the same work, so the endpoint does not reveal which usernames exist.
     * Attempts are rate limited first (429); no transaction is held around it, because the limit
     * charges must commit even when the login fails, and the password hash needs no connection.
     */
    TokenIssuer.AccessToken login(AccountRequests.Login request, String clientAddress) {
        LoginLimits.Attempt attempt = loginLimits.begin(request.username(), clientAddress);
        var account = tx.executeRead(status -> users.findByUsernameEqualsIgnoreCase(request.username()));
        if (account.isEmpty()) {
            hasher.burnVerification(request.password());
            throw badCredentials();
        }
        if (!hasher.matches(request.password(), account.get().passwordHash())) {
            throw badCredentials();
        }
        attempt.succeeded();
        return tokens.issue(account.get());
    }

    @Transactional(readOnly = true)
    UserView me(Actor actor) {
        return UserView.of(users.findById(actor.id()).orElseThrow(), true);
    }

    /** Admin only; an admin cannot change their own role, so the last admin cannot lock everyone out. */
    @Transactional
    UserView changeRole(Actor actor, String username, String role) {
        actor.require(Role.ADMIN).requireActive();
        UserAccount target = find(username);
        if (target.id() == actor.id()) {
            throw DomainException.conflict("You cannot change your own role.");
        }
        Role newRole = Role.fromWire(role).orElseThrow(() -> DomainException.invalid("role", "unknown role"));
        users.update(target.id(), newRole);
        return UserView.of(users.findById(target.id()).orElseThrow(), true);
    }

    /**
     * Suspends ({@code suspend} true) or lifts a suspension. Staff may act only on users below their
     * own role, so a moderator cannot suspend another moderator or an admin.
     */
    @Transactional
    UserView setSuspended(Actor actor, String username, boolean suspend, String reason) {
        actor.require(Role.MODERATOR).requireActive();
        UserAccount target = find(username);
        if (!actor.role().atLeast(target.role()) || actor.role() == target.role()) {
            throw DomainException.forbidden("You can only suspend users whose role is below yours.");
        }
        if (target.suspended() == suspend) {
            return UserView.of(target, actor.atLeast(Role.ADMIN));
        }
        if (suspend) {
            users.update(target.id(), clock.instant(), actor.id(), reason);
        } else {
            users.update(target.id(), null, null, null);
        }
        return UserView.of(users.findById(target.id()).orElseThrow(), actor.atLeast(Role.ADMIN));
    }

    private UserAccount find(String username) {
        return users.findByUsernameEqualsIgnoreCase(username)
                .orElseThrow(() -> DomainException.notFound("No such user."));
    }

    private static DomainException badCredentials() {
        return DomainException.unauthenticated("Unknown username or wrong password.");
    }
}
