package dev.parley.moderation;

import dev.parley.auth.Actor;
import dev.parley.auth.Role;
import dev.parley.common.Page;
import dev.parley.common.PageRequest;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;

/** Reading the moderation audit (moderators). */
@Singleton
class AuditService {

    private final AuditLog log;

    AuditService(AuditLog log) {
        this.log = log;
    }

    @Transactional(readOnly = true)
    Page<AuditLog.Entry> list(Actor actor, Long postId, String actorName, PageRequest page) {
        actor.require(Role.MODERATOR);
        return log.list(postId, actorName == null || actorName.isBlank() ? null : actorName, page);
    }
}
