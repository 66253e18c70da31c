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
import java.util.Optional;

/** Registration, login, sessions, password changes, deletion and the staff actions on accounts. */
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
    private final Sessions sessions;
    private final ExternalIdentityRepository identities;

    AccountService(UserRepository users, PasswordHasher hasher, TokenIssuer tokens, Clock clock,
                   LoginLimits loginLimits, RegistrationLimits registrationLimits, TransactionOperations<Connection> tx,
                   TrustConfig trust, UsernameScreen usernames, Sessions sessions,
                   ExternalIdentityRepository identities) {
        this.sessions = sessions;
        this.identities = identities;
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
        if (users.existsByUsernameEqualsIgnoreCaseAndDeletedAtIsNull(username)) {
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
     * Checks the credentials, opens a session and issues its access and refresh tokens. Unknown users
     * and wrong passwords get the same answer after the same work, so the endpoint does not reveal
     * which usernames exist. Attempts are rate limited first (429); no transaction is held around
     * it, because the limit charges must commit even when the login fails, and the password hash
     * needs no connection.
     */
    TokenIssuer.AccessToken login(AccountRequests.Login request, String clientAddress) {
        LoginLimits.Attempt attempt = loginLimits.begin(request.username(), clientAddress);
        var account = tx.executeRead(status -> users.findByUsernameEqualsIgnoreCaseAndDeletedAtIsNull(request.username()));
        if (account.isEmpty()) {
            hasher.burnVerification(request.password());
            throw badCredentials();
        }
        if (!hasher.matches(request.password(), account.get().passwordHash())) {
            throw badCredentials();
        }
        attempt.succeeded();
        return tokens.issue(account.get(), sessions.open(account.get().id()));
    }

    /**
     * Exchanges a refresh token for a new access token and the session's next refresh token (the
     * presented one is used up). 401 for an unknown, expired, used or revoked token; a used one also
     * revokes its whole session, so whoever else holds a copy is signed out too.
     */
    TokenIssuer.AccessToken refresh(String refreshToken) {
        Sessions.Rotation rotation = sessions.rotate(refreshToken);
        if (rotation instanceof Sessions.Rotation.Rotated rotated) {
            UserAccount account = tx.executeRead(status -> users.findById(rotated.userId())).orElseThrow();
            return tokens.issue(account, rotated.next());
        }
        if (rotation instanceof Sessions.Rotation.Reused) {
            throw DomainException.unauthenticated(
                    "This refresh token was already used; the session is revoked. Sign in again.");
        }
        throw DomainException.unauthenticated("The refresh token is unknown, expired or revoked.");
    }

    /**
     * Ends a session: the one of the bearer token ({@code session}) and/or the one of a refresh token,
     * so a client whose access token expired can still log out. 401 when neither names a session.
     */
    void logout(Optional<Long> session, String refreshToken) {
        Optional<Long> ended = session;
        if (refreshToken != null && !refreshToken.isBlank()) {
            Optional<Long> ofToken = sessions.sessionOf(refreshToken);
            ofToken.ifPresent(id -> sessions.revoke(id, SessionEnd.LOGOUT));
            ended = ended.or(() -> ofToken);
        }
        if (ended.isEmpty()) {
            throw DomainException.unauthenticated("A bearer token or a refresh token is required to log out.");
        }
        session.ifPresent(id -> sessions.revoke(id, SessionEnd.LOGOUT));
    }

    /**
     * Changes the caller's password after checking the current one (403 when wrong, charged to the
     * login limits like a failed login, so a stolen token cannot guess the password freely), and
     * revokes every other session of the account: whoever else was signed in must sign in with the
     * new password. The caller's own session goes on. 409 for an account without a password.
     */
    void changePassword(Actor actor, Optional<Long> session, AccountRequests.ChangePassword request,
                        String clientAddress) {
        UserAccount account = tx.executeRead(status -> users.findById(actor.id())).orElseThrow();
        if (account.passwordHash() == null) {
            throw DomainException.conflict("This account signs in through an identity provider and has no password.");
        }
        verifyPassword(account, request.currentPassword(), clientAddress);
        String newHash = hasher.hash(request.newPassword());
        tx.executeWrite(status -> {
            users.updatePassword(account.id(), newHash);
            sessions.revokeAllOf(account.id(), session.orElse(null), SessionEnd.PASSWORD_CHANGE);
            return null;
        });
    }

    /**
     * Deletes the caller's account after checking the password (403 when wrong; accounts of an
     * identity provider have none and need only their token). See {@link #erase}.
     */
    void deleteOwn(Actor actor, @io.micronaut.core.annotation.Nullable String password, String clientAddress) {
        UserAccount account = tx.executeRead(status -> users.findById(actor.id())).orElseThrow();
        if (account.passwordHash() != null) {
            if (password == null) {
                throw DomainException.invalid("password", "is required to delete the account");
            }
            verifyPassword(account, password, clientAddress);
        }
        tx.executeWrite(status -> {
            erase(account);
            return null;
        });
    }

    /** An admin deletes another account (their own goes through {@link #deleteOwn}, with the password). */
    @Transactional
    void deleteByAdmin(Actor actor, String username) {
        actor.require(Role.ADMIN).requireActive();
        UserAccount target = find(username);
        if (target.id() == actor.id()) {
            throw DomainException.conflict("Delete your own account with DELETE /api/me and your password.");
        }
        erase(target);
    }

    /**
     * Removes the person and keeps their contributions: the username becomes the shared tombstone,
     * email and password hash are cleared, every session is revoked and its refresh tokens dropped.
     * Posts stay (moderated and searchable, shown as by the tombstone), as do votes, reports and the
     * audit trail. 409 for the last active admin, who would leave nobody to administer the forum.
     */
    private void erase(UserAccount account) {
        if (account.role() == Role.ADMIN && users.countActiveAdmins() <= 1) {
            throw DomainException.conflict("The last admin account cannot be deleted.");
        }
        users.tombstone(account.id(), UserAccount.DELETED_USERNAME, clock.instant());
        sessions.forget(account.id());
        // The provider's subject no longer names an account: signing in again there starts a new one.
        identities.deleteByUserId(account.id());
    }

    private void verifyPassword(UserAccount account, String password, String clientAddress) {
        LoginLimits.Attempt attempt = loginLimits.begin(account.username(), clientAddress);
        if (!hasher.matches(password, account.passwordHash())) {
            throw DomainException.forbidden("The password is wrong.");
        }
        attempt.succeeded();
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
        return users.findByUsernameEqualsIgnoreCaseAndDeletedAtIsNull(username)
                .orElseThrow(() -> DomainException.notFound("No such user."));
    }

    private static DomainException badCredentials() {
        return DomainException.unauthenticated("Unknown username or wrong password.");
    }
}
