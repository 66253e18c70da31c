package dev.parley.moderation;

import dev.parley.auth.Actor;
import dev.parley.auth.Role;
import dev.parley.auth.TrustLevel;
import dev.parley.auth.TrustLevels;
import dev.parley.auth.UserView;
import dev.parley.common.DomainException;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;

import java.util.LinkedHashMap;
import java.util.Map;

/** Moderators setting trust levels, audited in the moderation audit beside the decisions they shape. */
@Singleton
class TrustService {

    private final TrustLevels levels;
    private final AuditLog audit;

    TrustService(TrustLevels levels, AuditLog audit) {
        this.levels = levels;
        this.audit = audit;
    }

    /**
     * Sets a member's level (moderator; 403 for members and for staff targets at or above the
     * caller's role). {@code locked} (default true) stops automatic rises, so a level lowered as a
     * sanction stays lowered; false lets the level rise again from there.
     */
    @Transactional
    UserView set(Actor actor, String username, Integer level, Boolean locked) {
        actor.require(Role.MODERATOR);
        TrustLevel target = level == null ? null : TrustLevel.of(level).orElse(null);
        if (target == null) {
            throw DomainException.invalid("level", "must be 0, 1, 2 or 3");
        }
        TrustLevels.Change change = levels.set(actor, username, target, locked == null || locked);
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("user", change.user().username());
        detail.put("from", change.from().value());
        detail.put("to", change.to().value());
        detail.put("locked", change.locked());
        audit.record(actor, "trust.set", null, detail);
        return change.user();
    }
}
