package dev.parley.auth;

import dev.parley.common.DomainException;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;

import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Accounts' trust levels as other features see them: moderation reads them when it decides on a
 * post, raises them when an author's record earns it, and lets moderators set them (moderation
 * audits that, so it calls in here rather than the other way round).
 */
@Singleton
public class TrustLevels {

    /**
     * An author as moderation sees them.
     *
     * @param staff moderators and admins: the policy's new-account rules never apply to them
     */
    public record Standing(long userId, String username, TrustLevel level, boolean locked, boolean staff,
                           Instant createdAt) {
    }

    /** The author reference a moderator sees on a review item. */
    @Serdeable
    public record AuthorTrust(long id, String username, int trustLevel, boolean trustLevelLocked) {
    }

    /** What a moderator's setting changed. */
    public record Change(UserView user, TrustLevel from, TrustLevel to, boolean locked) {
    }

    private final UserRepository users;

    TrustLevels(UserRepository users) {
        this.users = users;
    }

    /** The standings of the accounts with these ids that exist. */
    @Transactional(readOnly = true)
    public Map<Long, Standing> of(Collection<Long> userIds) {
        return users.findTrust(userIds.toArray(Long[]::new)).stream().map(row -> new Standing(row.id(),
                        row.username(), TrustLevel.of(row.trustLevel()).orElseThrow(), row.trustLevelLocked(),
                        Role.fromWire(row.role()).orElseThrow().atLeast(Role.MODERATOR), row.createdAt()))
                .collect(Collectors.toMap(Standing::userId, Function.identity()));
    }

    /** {@link #of} as shown on review items. */
    @Transactional(readOnly = true)
    public Map<Long, AuthorTrust> shown(Collection<Long> userIds) {
        return of(userIds).values().stream().collect(Collectors.toMap(Standing::userId,
                s -> new AuthorTrust(s.userId(), s.username(), s.level().value(), s.locked())));
    }

    /**
     * Raises an unlocked account to {@code level}, in the caller's transaction; never lowers.
     *
     * @return whether the level rose
     */
    @Transactional
    public boolean raise(long userId, TrustLevel level) {
        return users.raiseTrustLevel(userId, level.value()) == 1;
    }

    /**
     * A moderator sets a member's level, up or down. {@code locked} keeps it there (no automatic
     * rises) until a moderator sets it again unlocked. Like suspension, staff act only on accounts
     * whose role is below their own.
     */
    @Transactional
    public Change set(Actor actor, String username, TrustLevel level, boolean locked) {
        actor.require(Role.MODERATOR).requireActive();
        UserAccount target = users.findByUsernameEqualsIgnoreCaseAndDeletedAtIsNull(username)
                .orElseThrow(() -> DomainException.notFound("No such user."));
        if (!actor.role().atLeast(target.role()) || actor.role() == target.role()) {
            throw DomainException.forbidden("You can only set the trust level of users whose role is below yours.");
        }
        users.setTrustLevel(target.id(), level.value(), locked);
        UserAccount changed = users.findById(target.id()).orElseThrow();
        return new Change(UserView.forStaff(changed, actor.atLeast(Role.ADMIN)), target.trust(), level, locked);
    }
}
