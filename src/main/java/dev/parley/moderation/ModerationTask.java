package dev.parley.moderation;

import dev.parley.forum.PostStatus;
import dev.parley.forum.PostSnapshot;
import dev.parley.pipeline.JobKind;
import io.micronaut.serde.annotation.Serdeable;

/**
 * The payload of a moderation job: one post version, and whether it is a rescan of a post that was
 * published while the provider was down.
 *
 * @param provider the provider the post waits for, for the "provider unavailable" reason
 */
@Serdeable
record ModerationTask(long postId, int version, boolean rescan, String provider) {

    static final JobKind<ModerationTask> KIND = JobKind.of("moderate", ModerationTask.class);

    /** Whether the post still is what the job was about and still waits for a verdict. */
    boolean appliesTo(PostSnapshot post) {
        if (post.version() != version) {
            return false;
        }
        return post.status() == PostStatus.PENDING || (rescan && post.status() == PostStatus.PUBLISHED);
    }
}
