package dev.parley.webhooks;

import dev.parley.auth.Actors;
import dev.parley.common.ApiErrors;
import dev.parley.common.Page;
import dev.parley.common.PageRequest;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Patch;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

@Controller("/api/admin/webhooks")
@Secured(SecurityRule.IS_AUTHENTICATED)
@ExecuteOn(TaskExecutors.BLOCKING)
@Tag(name = "webhooks")
@ApiErrors.Unauthorized
@ApiErrors.Forbidden
@ApiErrors.Unavailable
class WebhookController {

    private final WebhookService webhooks;
    private final Actors actors;

    WebhookController(WebhookService webhooks, Actors actors) {
        this.webhooks = webhooks;
        this.actors = actors;
    }

    @Post
    @Operation(operationId = "registerWebhook", summary = "Register a webhook endpoint (admin)",
            description = "Events of the given types committed from now on are POSTed to the URL, signed per the "
                    + "Standard Webhooks specification. Without `secret` one is generated; the answer carries it, "
                    + "the only time it is shown. 400 when the URL's host resolves to a loopback, private, "
                    + "link-local, shared or unroutable address that configuration does not allow.")
    @ApiResponse(responseCode = "201", description = "The endpoint, with its secret", useReturnTypeSchema = true)
    @ApiErrors.BadRequest
    @ApiErrors.TooLarge
    @ApiErrors.Invalid
    HttpResponse<WebhookViews.Endpoint> register(Authentication authentication, @Body @RequestBody(content = @Content(
            mediaType = "application/json", examples = @ExampleObject(name = "register",
            value = "{\"url\": \"https://hooks.example.com/parley\", \"eventTypes\": [\"post.published\", \"queue.opened\"]}")))
            WebhookViews.RegisterRequest request) {
        return HttpResponse.created(webhooks.register(actors.require(authentication), request));
    }

    @Get
    @Operation(operationId = "listWebhooks", summary = "List webhook endpoints (admin)",
            description = "A cursor page of endpoints in registration order, without their secrets.")
    @ApiResponse(responseCode = "200", description = "A page of endpoints", useReturnTypeSchema = true)
    @ApiErrors.BadRequest
    @ApiErrors.Invalid
    Page<WebhookViews.Endpoint> list(Authentication authentication, @QueryValue @Nullable Integer limit,
                                     @QueryValue @Nullable String cursor) {
        return webhooks.list(actors.require(authentication), PageRequest.of(limit, cursor));
    }

    @Get("/{id}")
    @Operation(operationId = "getWebhook", summary = "A webhook endpoint (admin)",
            description = "Its URL, event types, whether it is enabled, its run of failed attempts and why it was disabled.")
    @ApiResponse(responseCode = "200", description = "The endpoint", useReturnTypeSchema = true)
    @ApiErrors.BadRequest
    @ApiErrors.NotFound
    WebhookViews.Endpoint get(Authentication authentication, long id) {
        return webhooks.get(actors.require(authentication), id);
    }

    @Patch("/{id}")
    @Operation(operationId = "updateWebhook", summary = "Change a webhook endpoint (admin)",
            description = "The fields present change: `url`, `eventTypes`, `enabled`. Enabling clears the run of "
                    + "failures; events committed while the endpoint was disabled are not delivered.")
    @ApiResponse(responseCode = "200", description = "The endpoint", useReturnTypeSchema = true)
    @ApiErrors.BadRequest
    @ApiErrors.NotFound
    @ApiErrors.TooLarge
    @ApiErrors.Invalid
    WebhookViews.Endpoint update(Authentication authentication, long id, @Body @RequestBody(content = @Content(
            mediaType = "application/json", examples = @ExampleObject(name = "re-enable", value = "{\"enabled\": true}")))
            WebhookViews.UpdateRequest request) {
        return webhooks.update(actors.require(authentication), id, request);
    }

    @Delete("/{id}")
    @Operation(operationId = "deleteWebhook", summary = "Delete a webhook endpoint (admin)",
            description = "With its deliveries and their log.")
    @ApiResponse(responseCode = "204", description = "Deleted")
    @ApiErrors.BadRequest
    @ApiErrors.NotFound
    HttpResponse<Void> delete(Authentication authentication, long id) {
        webhooks.delete(actors.require(authentication), id);
        return HttpResponse.noContent();
    }

    @Get("/{id}/deliveries")
    @Operation(operationId = "listWebhookDeliveries", summary = "The delivery log of an endpoint (admin)",
            description = "A cursor page of deliveries, newest first, each with its attempts: HTTP status, "
                    + "response time, error and time.")
    @ApiResponse(responseCode = "200", description = "A page of deliveries", useReturnTypeSchema = true)
    @ApiErrors.BadRequest
    @ApiErrors.NotFound
    @ApiErrors.Invalid
    Page<WebhookViews.Delivery> deliveries(Authentication authentication, long id,
                                           @QueryValue @Nullable Integer limit, @QueryValue @Nullable String cursor) {
        return webhooks.deliveries(actors.require(authentication), id, PageRequest.of(limit, cursor));
    }

    @Post("/{id}/deliveries/{deliveryId}/redeliver")
    @Operation(operationId = "redeliverWebhook", summary = "Send a delivery again (admin)",
            description = "Queues a new attempt with the same `webhook-id` and fresh retries. 409 when the endpoint "
                    + "is disabled or the delivery is still waiting for an attempt.")
    @ApiResponse(responseCode = "202", description = "The delivery, pending again", useReturnTypeSchema = true)
    @ApiErrors.BadRequest
    @ApiErrors.NotFound
    @ApiErrors.Conflict
    HttpResponse<WebhookViews.Delivery> redeliver(Authentication authentication, long id, long deliveryId) {
        return HttpResponse.accepted().body(webhooks.redeliver(actors.require(authentication), id, deliveryId));
    }
}
