package dev.parley.moderation;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.parley.auth.Actor;
import dev.parley.auth.Role;
import dev.parley.common.DomainException;
import dev.parley.common.Problem;
import dev.parley.common.ProblemResponses;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.inject.Singleton;

import java.util.List;

/**
 * Resolves several items, each in its own transaction, so that one item resolved meanwhile by
 * someone else fails alone while the others go through.
 */
@Singleton
class BulkResolver {

    @Serdeable
    record ItemResult(long id, int status, @JsonInclude(JsonInclude.Include.NON_NULL) Problem problem) {
    }

    @Serdeable
    record Results(List<ItemResult> results) {
    }

    private final ReviewQueueService queue;

    BulkResolver(ReviewQueueService queue) {
        this.queue = queue;
    }

    Results resolve(Actor actor, List<Long> ids, String action, String note) {
        actor.require(Role.MODERATOR).requireActive();
        if (ReviewResolution.action(action).isEmpty()) {
            throw DomainException.invalid("action", "must be approve or reject");
        }
        return new Results(ids.stream().distinct().map(id -> {
            try {
                queue.resolve(actor, id, action, note);
                return new ItemResult(id, 200, null);
            } catch (DomainException e) {
                return new ItemResult(id, ProblemResponses.statusOf(e.kind()).getCode(), ProblemResponses.problemOf(e));
            }
        }).toList());
    }
}
