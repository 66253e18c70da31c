package dev.parley.moderation;

import dev.parley.common.ApiErrors;
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
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.swagger.v3.oas.annotations.media.Schema;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.sse.Event;
import dev.parley.events.EventStreams;
import org.reactivestreams.Publisher;
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
@Tag(name = "moderation")
@ApiErrors.Unauthorized
@ApiErrors.Forbidden
@ApiErrors.Unavailable
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
    private final ModerationEvents events;

    ModerationController(ReviewQueueService queue, BulkResolver bulk, PolicyService policies, RulesService rules,
                         ModerationStats stats, AuditService audit, DecisionTimeline timeline, PolicyPreview preview,
                         Actors actors, ModerationEvents events) {
        this.events = events;
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
    @Operation(operationId = "listReviewQueue", summary = "List the review queue (moderator)",
            description = "A cursor page of review items. `state` is `open` (default), `claimed` or `resolved`; "
                    + "`kind` `review` or `appeal` (both without it); `category` a forum category slug; `reason` a "
                    + "harm category, `report` or a trust rule.")
    @ApiResponse(responseCode = "200", description = "A page of review items", useReturnTypeSchema = true)
    @ApiErrors.BadRequest
    @ApiErrors.Invalid
    Page<ReviewQueueService.ReviewItem> queue(Authentication authentication, @QueryValue @Nullable String state,
                                              @QueryValue @Nullable String category,
                                              @QueryValue @Nullable String reason,
                                              @QueryValue @Nullable String kind,
                                              @QueryValue @Nullable Integer limit,
                                              @QueryValue @Nullable String cursor) {
        return queue.list(actors.require(authentication), state, category, reason, kind, PageRequest.of(limit, cursor));
    }

    @Get("/queue/{id}")
    @Operation(operationId = "getReviewItem", summary = "A review item (moderator)",
            description = "The item with its post, thread, author, reasons and, once resolved, its resolution.")
    @ApiResponse(responseCode = "200", description = "The review item", useReturnTypeSchema = true)
    @ApiErrors.BadRequest
    @ApiErrors.NotFound
    ReviewQueueService.ReviewItem item(Authentication authentication, long id) {
        return queue.get(actors.require(authentication), id);
    }

    @Post("/queue/{id}/claim")
    @Operation(operationId = "claimReviewItem", summary = "Claim a review item (moderator)",
            description = "409 when someone else holds it or it is resolved.")
    @ApiResponse(responseCode = "200", description = "The claimed item", useReturnTypeSchema = true)
    @ApiErrors.BadRequest
    @ApiErrors.NotFound
    @ApiErrors.Conflict
    ReviewQueueService.ReviewItem claim(Authentication authentication, long id) {
        return queue.claim(actors.require(authentication), id);
    }

    @Delete("/queue/{id}/claim")
    @Operation(operationId = "releaseReviewItem", summary = "Release a claimed review item (moderator)",
            description = "409 when the item is not claimed or someone else holds it.")
    @ApiResponse(responseCode = "200", description = "The released item", useReturnTypeSchema = true)
    @ApiErrors.BadRequest
    @ApiErrors.NotFound
    @ApiErrors.Conflict
    ReviewQueueService.ReviewItem release(Authentication authentication, long id) {
        return queue.release(actors.require(authentication), id);
    }

    @Post("/queue/{id}/resolve")
    @Operation(operationId = "resolveReviewItem", summary = "Resolve a review item (moderator)",
            description = "`approve` publishes the post, `reject` rejects it; an appeal item is `uphold` or `overturn`. "
                    + "409 when someone else holds it, it is resolved, or the post was edited or deleted since.")
    @ApiResponse(responseCode = "200", description = "The resolved item", useReturnTypeSchema = true)
    @ApiErrors.BadRequest
    @ApiErrors.NotFound
    @ApiErrors.Conflict
    @ApiErrors.TooLarge
    @ApiErrors.Invalid
    ReviewQueueService.ReviewItem resolve(Authentication authentication, long id,
                                          @Body @Valid @RequestBody(content = @Content(
                                                  mediaType = "application/json", examples = @ExampleObject(name = "approve",
                                                  value = "{\"action\": \"approve\", \"note\": \"Heated, not abusive.\"}")))
                                          ModerationRequests.Resolve request) {
        return queue.resolve(actors.require(authentication), id, request.action(), request.note());
    }

    @Post("/queue/resolve")
    @Operation(operationId = "resolveReviewItems", summary = "Resolve several review items (moderator)",
            description = "`approve` or `reject` up to 100 items; each result has its status, and `problem` when that "
                    + "item could not be resolved.")
    @ApiResponse(responseCode = "200", description = "One result per id", useReturnTypeSchema = true)
    @ApiErrors.BadRequest
    @ApiErrors.TooLarge
    @ApiErrors.Invalid
    BulkResolver.Results resolveAll(Authentication authentication,
                                    @Body @Valid @RequestBody(content = @Content(
                                            mediaType = "application/json", examples = @ExampleObject(name = "reject",
                                            value = "{\"ids\": [12, 13], \"action\": \"reject\", \"note\": \"Spam\"}")))
                                    ModerationRequests.BulkResolve request) {
        return bulk.resolve(actors.require(authentication), request.ids(), request.action(), request.note());
    }

    @Get("/policy")
    @Operation(operationId = "getPolicy", summary = "The moderation policy (moderator)",
            description = "Flag and reject thresholds per harm category, per forum category overrides, new-account "
                    + "rules and what happens when the provider fails, with the stored version.")
    @ApiResponse(responseCode = "200", description = "The policy in force", useReturnTypeSchema = true)
    Policy policy(Authentication authentication) {
        return policies.view(actors.require(authentication));
    }

    @Put("/policy")
    @Operation(operationId = "replacePolicy", summary = "Replace the moderation policy (admin)",
            description = "Stores the whole policy as a new version; harm categories it leaves out have no thresholds.")
    @ApiResponse(responseCode = "200", description = "The stored policy", useReturnTypeSchema = true)
    @ApiErrors.BadRequest
    @ApiErrors.TooLarge
    @ApiErrors.Invalid
    Policy replacePolicy(Authentication authentication, @Body Policy policy) {
        return policies.replace(actors.require(authentication), policy);
    }

    /** The console's policy editor: what a candidate policy would do to recent posts (docs/api.md). */
    @Post("/policy/preview")
    @Operation(operationId = "previewPolicy", summary = "Preview a candidate policy (admin)",
            description = "What the candidate would have decided for the last `last` scored posts, beside the policy "
                    + "in force. Nothing is stored.")
    @ApiResponse(responseCode = "200", description = "Decisions under both policies", useReturnTypeSchema = true)
    @ApiErrors.BadRequest
    @ApiErrors.TooLarge
    @ApiErrors.Invalid
    PolicyPreview.Preview previewPolicy(Authentication authentication, @Body PolicyPreview.Request request) {
        return preview.preview(actors.require(authentication), request);
    }

    @Get("/rules")
    @Operation(operationId = "getRules", summary = "The local moderation rules (moderator)",
            description = "Words, phrases and regular expressions that score a harm category.")
    @ApiResponse(responseCode = "200", description = "The rules", useReturnTypeSchema = true)
    RuleSet rules(Authentication authentication) {
        return rules.view(actors.require(authentication));
    }

    @Put("/rules")
    @Operation(operationId = "replaceRules", summary = "Replace the local moderation rules (admin)",
            description = "Replaces the whole rule set.")
    @ApiResponse(responseCode = "200", description = "The stored rules", useReturnTypeSchema = true)
    @ApiErrors.BadRequest
    @ApiErrors.TooLarge
    @ApiErrors.Invalid
    RuleSet replaceRules(Authentication authentication, @Body RuleSet ruleSet) {
        return rules.replace(actors.require(authentication), ruleSet);
    }

    @Get(value = "/events", produces = MediaType.TEXT_EVENT_STREAM)
    @Operation(operationId = "streamModerationEvents", summary = "Follow everything that happens (server-sent events, moderator)",
            description = "A `text/event-stream` of every event in the outbox: threads and posts created, edited, "
                    + "published, hidden and deleted, threads locked, automated decisions (`decision.made`), review "
                    + "items opened, claimed, released and resolved (`queue.*`), appeals filed. Each event's `id` is "
                    + "its position in the outbox and its `data` the JSON of the event (ids and a short `detail`, "
                    + "never text). Send `Last-Event-ID` to resume without loss or duplicates within the retention. "
                    + "A comment line is sent every 15 s. 503 with `Retry-After` when the instance serves its "
                    + "maximum of streams.")
    @ApiResponse(responseCode = "200", description = "The event stream",
            content = @Content(mediaType = MediaType.TEXT_EVENT_STREAM, schema = @Schema(type = "string")))
    @ApiErrors.BadRequest
    Publisher<Event<Object>> events(Authentication authentication,
                                    @Header("Last-Event-ID") @Nullable String lastEventId) {
        Long resumeAfter = EventStreams.lastEventId(lastEventId);
        return events.open(actors.require(authentication), resumeAfter);
    }

    @Get("/stats")
    @Operation(operationId = "getModerationStats", summary = "Moderation counts (moderator)",
            description = "Decisions by outcome and by harm category, and moderators' resolutions, since `since` "
                    + "(ISO-8601; default 7 days ago).")
    @ApiResponse(responseCode = "200", description = "The counts", useReturnTypeSchema = true)
    @ApiErrors.BadRequest
    @ApiErrors.Invalid
    ModerationStats.Stats stats(Authentication authentication, @QueryValue @Nullable String since) {
        return stats.since(actors.require(authentication), parse("since", since));
    }

    /** The console's chart: decisions per hour or day (docs/api.md). */
    @Get("/stats/timeline")
    @Operation(operationId = "getDecisionTimeline", summary = "Decisions per hour or day (moderator)",
            description = "Automated decisions by outcome and harm category, and moderators' resolutions, per UTC "
                    + "`bucket` (`hour` or `day`) between `since` and `until`; at most 744 buckets.")
    @ApiResponse(responseCode = "200", description = "One entry per bucket", useReturnTypeSchema = true)
    @ApiErrors.BadRequest
    @ApiErrors.Invalid
    DecisionTimeline.Timeline timeline(Authentication authentication, @QueryValue @Nullable String since,
                                       @QueryValue @Nullable String until, @QueryValue @Nullable String bucket) {
        return timeline.between(actors.require(authentication), parse("since", since), parse("until", until), bucket);
    }

    @Get("/audit")
    @Operation(operationId = "listAuditEntries", summary = "The moderation audit (moderator)",
            description = "A cursor page of audit entries, newest first, optionally of one post or one actor.")
    @ApiResponse(responseCode = "200", description = "A page of audit entries", useReturnTypeSchema = true)
    @ApiErrors.BadRequest
    @ApiErrors.Invalid
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
