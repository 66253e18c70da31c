package dev.parley.auth;

import dev.parley.common.ReplicaRouting;
import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.authentication.Authentication;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Set;

/**
 * Read-your-writes with a read replica: after every successful write request of a signed-in user
 * (any method but GET, HEAD and OPTIONS under {@code /api}, answered 2xx, so its transaction has
 * committed), the primary's WAL position is recorded on the user's row. The account lookup of each
 * later request reads it with the account ({@link Actor#lastWrite()}), on any instance, and that user's
 * public reads stay on the primary until the replica has replayed that far. Without a replica the
 * filter does not exist, so requests pay neither its statement nor its hop to a blocking thread.
 */
@ServerFilter("/api/**")
@Requires(property = ReplicaRouting.URL_PROPERTY)
final class LastWrites {

    private static final Logger LOG = LoggerFactory.getLogger(LastWrites.class);
    private static final Set<HttpMethod> READS = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS);

    private final Actors actors;
    private final UserRepository users;

    LastWrites(Actors actors, UserRepository users) {
        this.actors = actors;
        this.users = users;
    }

    @ResponseFilter
    @ExecuteOn(TaskExecutors.BLOCKING)
    void recordAfterWrite(HttpRequest<?> request, MutableHttpResponse<?> response) {
        if (READS.contains(request.getMethod()) || response.code() >= 300) {
            return;
        }
        try {
            request.getUserPrincipal(Authentication.class).flatMap(actors::accountId).ifPresent(users::recordLastWrite);
        } catch (RuntimeException e) {
            // The write stands; without its position the user's next reads may lag behind it on the replica.
            LOG.warn("Could not record the WAL position of a write for read-your-writes: {}", e.getMessage());
        }
    }
}
