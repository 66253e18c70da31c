package dev.parley.moderation;

import dev.parley.auth.Actors;
import dev.parley.auth.UserView;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Put;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;

/**
 * {@code PUT /api/admin/users/{username}/trust-level} (docs/api-additions.md). Served here rather
 * than beside the other account actions because it is audited in the moderation audit, which the
 * auth feature cannot reach. Roles are checked by the service against the database.
 */
@Controller("/api/admin/users")
@Secured(SecurityRule.IS_AUTHENTICATED)
@ExecuteOn(TaskExecutors.BLOCKING)
class TrustController {

    private final TrustService trust;
    private final Actors actors;

    TrustController(TrustService trust, Actors actors) {
        this.trust = trust;
        this.actors = actors;
    }

    @Put("/{username}/trust-level")
    UserView setTrustLevel(Authentication authentication, String username, @Body ModerationRequests.TrustLevel request) {
        return trust.set(actors.require(authentication), username, request.level(), request.locked());
    }
}
