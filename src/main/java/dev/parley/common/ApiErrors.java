package dev.parley.common;

import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * OpenAPI meta-annotations for the served document: one per problem+json answer, so a controller
 * method lists the errors it can give in a line (micronaut-openapi reads the {@link ApiResponse}
 * they carry as if it were written on the method or class), and the two ways an operation is public.
 * Each error refers to the one {@link Problem} schema; the statuses are those of {@link ProblemResponses}.
 */
public final class ApiErrors {

    private ApiErrors() {
    }

    /** 400: unreadable JSON, a value of the wrong type, a malformed path or query value. */
    @Documented
    @Retention(RetentionPolicy.RUNTIME)
    @Target({ElementType.METHOD, ElementType.TYPE})
    @ApiResponse(responseCode = "400", description = "Malformed request: unreadable JSON, a value of the wrong type, a malformed path or query value.",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public @interface BadRequest {
    }

    /** 401: no token, a token that is expired, forged or names a deleted user, or (login) wrong credentials. */
    @Documented
    @Retention(RetentionPolicy.RUNTIME)
    @Target({ElementType.METHOD, ElementType.TYPE})
    @ApiResponse(responseCode = "401", description = "Not authenticated: no bearer token, one that is expired, forged or names a deleted user, or (to log in) wrong credentials.",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public @interface Unauthorized {
    }

    /** 403: the caller's role, ownership or suspension does not allow it. */
    @Documented
    @Retention(RetentionPolicy.RUNTIME)
    @Target({ElementType.METHOD, ElementType.TYPE})
    @ApiResponse(responseCode = "403", description = "The caller's role or ownership does not allow it, or the caller is suspended.",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public @interface Forbidden {
    }

    /** 404: nothing with that id or name that the caller may see. */
    @Documented
    @Retention(RetentionPolicy.RUNTIME)
    @Target({ElementType.METHOD, ElementType.TYPE})
    @ApiResponse(responseCode = "404", description = "Nothing with that id or name that the caller may see.",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public @interface NotFound {
    }

    /** 409: a duplicate, a stale version, a locked thread, a claim held by someone else, a run already going. */
    @Documented
    @Retention(RetentionPolicy.RUNTIME)
    @Target({ElementType.METHOD, ElementType.TYPE})
    @ApiResponse(responseCode = "409", description = "Conflict with the current state: a duplicate, a stale version, a locked thread, a claim held by someone else.",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public @interface Conflict {
    }

    /** 413: a request body over the configured maximum (64 KiB). */
    @Documented
    @Retention(RetentionPolicy.RUNTIME)
    @Target({ElementType.METHOD, ElementType.TYPE})
    @ApiResponse(responseCode = "413", description = "The request body is larger than the configured maximum (64 KiB by default).",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public @interface TooLarge {
    }

    /** 422: validation failed; {@code errors} names each field. */
    @Documented
    @Retention(RetentionPolicy.RUNTIME)
    @Target({ElementType.METHOD, ElementType.TYPE})
    @ApiResponse(responseCode = "422", description = "Validation failed: `errors` lists each field and what is wrong with it.",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public @interface Invalid {
    }

    /** 429: over a rate limit; {@code Retry-After} says how long to wait. Nothing was written. */
    @Documented
    @Retention(RetentionPolicy.RUNTIME)
    @Target({ElementType.METHOD, ElementType.TYPE})
    @ApiResponse(responseCode = "429", description = "Over a rate limit; the `Retry-After` header gives the seconds to wait. Nothing was written.",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public @interface TooManyRequests {
    }

    /** 503: the database cannot be reached; {@code Retry-After} says when to try again. */
    @Documented
    @Retention(RetentionPolicy.RUNTIME)
    @Target({ElementType.METHOD, ElementType.TYPE})
    @ApiResponse(responseCode = "503", description = "The database cannot be reached; the `Retry-After` header gives the seconds to wait.",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public @interface Unavailable {
    }

    /** Needs no token and reads nothing from one. */
    @Documented
    @Retention(RetentionPolicy.RUNTIME)
    @Target({ElementType.METHOD, ElementType.TYPE})
    @SecurityRequirement(name = "") // an empty requirement: "security: [{}]", anyone may call it
    public @interface Public {
    }

    /** Needs no token; with one, the caller may see more (their own unpublished posts, staff fields). */
    @Documented
    @Retention(RetentionPolicy.RUNTIME)
    @Target({ElementType.METHOD, ElementType.TYPE})
    @SecurityRequirement(name = "bearer")
    @SecurityRequirement(name = "") // the empty alternative makes the token optional
    public @interface OptionalToken {
    }
}
