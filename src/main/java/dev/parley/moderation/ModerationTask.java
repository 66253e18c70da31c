package dev.parley.moderation;

import dev.parley.forum.PostStatus;
import dev.parley.forum.PostSnapshot;
import dev.parley.pipeline.JobKind;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

/**
 * The payload of a moderation job: one post version, or one title edit of the thread a post opens
 * ({@code version} is then the edit's), and whether it is a rescan of a post that was published
 * while the provider was down.
 *
 * @param provider the provider the post waits for, for the "provider unavailable" reason
 * @param subject  what is judged; null in payloads queued before titles were moderated, which are posts
 */
@Serdeable
record ModerationTask(long postId, int version, boolean rescan, String provider, @Nullable Subject subject) {

    static final JobKind<ModerationTask> KIND = JobKind.of("moderate", ModerationTask.class);

    /** What the job judges. */
    Subject judged() {
        return subject == null ? Subject.POST : subject;
    }

    /** At most one queued job per post version or title edit. */
    String uniqueKey() {
        return judged() == Subject.POST ? postId + "@" + version : postId + "@title@" + version;
    }

    /** Whether the post still is what the job was about and still waits for a verdict. */
    boolean appliesTo(PostSnapshot post) {
        if (post.version() != version) {
            return false;
        }
        return post.status() == PostStatus.PENDING || (rescan && post.status() == PostStatus.PUBLISHED);
    }
}
