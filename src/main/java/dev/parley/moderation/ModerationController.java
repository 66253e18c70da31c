package dev.parley.moderation;

import dev.parley.auth.Actors;
import dev.parley.common.DomainException;
import dev.parley.common.Page;
import dev.parley.common.PageRequest;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Put;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;
import jakarta.validation.Valid;

import java.time.Instant;
import java.time.format.DateTimeParseException;

/** The moderator endpoints of API.md. Roles are checked by the services against the database. */
@Controller("/api/moderation")
@Secured(SecurityRule.IS_AUTHENTICATED)
@ExecuteOn(TaskExecutors.BLOCKING)
class ModerationController {

    private final ReviewQueueService queue;
    private final BulkResolver bulk;
    private final PolicyService policies;
    private final RulesService rules;
    private final ModerationStats stats;
    private final AuditService audit;
    private final DecisionTimeline timeline;
    private final PolicyPreview preview;
    private final Actors actors;

    ModerationController(ReviewQueueService queue, BulkResolver bulk, PolicyService policies, RulesService rules,
                         ModerationStats stats, AuditService audit, DecisionTimeline timeline, PolicyPreview preview,
                         Actors actors) {
        this.queue = queue;
        this.bulk = bulk;
        this.policies = policies;
        this.rules = rules;
        this.stats = stats;
        this.audit = audit;
        this.timeline = timeline;
        this.preview = preview;
        this.actors = actors;
    }

    @Get("/queue")
    Page<ReviewQueueService.ReviewItem> queue(Authentication authentication, @QueryValue @Nullable String state,
                                              @QueryValue @Nullable String category,
                                              @QueryValue @Nullable String reason,
                                              @QueryValue @Nullable String kind,
                                              @QueryValue @Nullable Integer limit,
                                              @QueryValue @Nullable String cursor) {
        return queue.list(actors.require(authentication), state, category, reason, kind, PageRequest.of(limit, cursor));
    }

    @Get("/queue/{id}")
    ReviewQueueService.ReviewItem item(Authentication authentication, long id) {
        return queue.get(actors.require(authentication), id);
    }

    @Post("/queue/{id}/claim")
    ReviewQueueService.ReviewItem claim(Authentication authentication, long id) {
        return queue.claim(actors.require(authentication), id);
    }

    @Delete("/queue/{id}/claim")
    ReviewQueueService.ReviewItem release(Authentication authentication, long id) {
        return queue.release(actors.require(authentication), id);
    }

    @Post("/queue/{id}/resolve")
    ReviewQueueService.ReviewItem resolve(Authentication authentication, long id,
                                          @Body @Valid ModerationRequests.Resolve request) {
        return queue.resolve(actors.require(authentication), id, request.action(), request.note());
    }

    @Post("/queue/resolve")
    BulkResolver.Results resolveAll(Authentication authentication,
                                    @Body @Valid ModerationRequests.BulkResolve request) {
        return bulk.resolve(actors.require(authentication), request.ids(), request.action(), request.note());
    }

    @Get("/policy")
    Policy policy(Authentication authentication) {
        return policies.view(actors.require(authentication));
    }

    @Put("/policy")
    Policy replacePolicy(Authentication authentication, @Body Policy policy) {
        return policies.replace(actors.require(authentication), policy);
    }

    /** The console's policy editor: what a candidate policy would do to recent posts (docs/api-additions.md). */
    @Post("/policy/preview")
    PolicyPreview.Preview previewPolicy(Authentication authentication, @Body PolicyPreview.Request request) {
        return preview.preview(actors.require(authentication), request);
    }

    @Get("/rules")
    RuleSet rules(Authentication authentication) {
        return rules.view(actors.require(authentication));
    }

    @Put("/rules")
    RuleSet replaceRules(Authentication authentication, @Body RuleSet ruleSet) {
        return rules.replace(actors.require(authentication), ruleSet);
    }

    @Get("/stats")
    ModerationStats.Stats stats(Authentication authentication, @QueryValue @Nullable String since) {
        return stats.since(actors.require(authentication), parse("since", since));
    }

    /** The console's chart: decisions per hour or day (docs/api-additions.md). */
    @Get("/stats/timeline")
    DecisionTimeline.Timeline timeline(Authentication authentication, @QueryValue @Nullable String since,
                                       @QueryValue @Nullable String until, @QueryValue @Nullable String bucket) {
        return timeline.between(actors.require(authentication), parse("since", since), parse("until", until), bucket);
    }

    @Get("/audit")
    Page<AuditLog.Entry> audit(Authentication authentication, @QueryValue @Nullable Long postId,
                               @QueryValue @Nullable String actor, @QueryValue @Nullable Integer limit,
                               @QueryValue @Nullable String cursor) {
        return audit.list(actors.require(authentication), postId, actor, PageRequest.of(limit, cursor));
    }

    private static Instant parse(String field, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw DomainException.invalid(field, "must be an ISO-8601 instant such as 2026-01-31T00:00:00Z");
        }
    }
}
