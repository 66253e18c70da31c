package dev.parley.moderation;

import dev.parley.forum.ForumPosts;
import dev.parley.forum.PostSnapshot;
import dev.parley.forum.PostStatus;
import dev.parley.forum.ThreadTitles;
import dev.parley.forum.ThreadTitles.TitleSnapshot;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The texts moderation judges, by subject: posts through {@link ForumPosts}, title edits through
 * {@link ThreadTitles}. The job handler, the decision recorder and the review queue go through here,
 * so a title edit is scored, decided, queued and resolved the way a post version is.
 */
@Singleton
class ModeratedTexts {

    private final ForumPosts posts;
    private final ThreadTitles titles;

    ModeratedTexts(ForumPosts posts, ThreadTitles titles) {
        this.posts = posts;
        this.titles = titles;
    }

    /** The texts of the jobs that still wait for a verdict (edited, deleted or decided ones are left out). */
    @Transactional(readOnly = true)
    Map<ModerationTask, ModeratedText> awaiting(List<ModerationTask> tasks) {
        Map<Long, PostSnapshot> found = posts.find(tasks.stream().filter(t -> t.judged() == Subject.POST)
                        .map(ModerationTask::postId).distinct().toList())
                .stream().collect(Collectors.toMap(PostSnapshot::id, Function.identity()));
        Map<ModerationTask, ModeratedText> result = new HashMap<>();
        for (ModerationTask task : tasks) {
            Optional<ModeratedText> text = task.judged() == Subject.POST
                    ? Optional.ofNullable(found.get(task.postId())).filter(task::appliesTo).map(ModeratedTexts::of)
                    : titles.find(task.postId(), task.version()).filter(TitleSnapshot::awaitingVerdict)
                            .map(ModeratedTexts::of);
            text.ifPresent(t -> result.put(task, t));
        }
        return result;
    }

    /**
     * Locks what the job is about for the rest of the caller's transaction and returns it, when it
     * still waits for a verdict.
     */
    @Transactional
    Optional<ModeratedText> lock(ModerationTask task) {
        return task.judged() == Subject.POST
                ? posts.lock(task.postId()).filter(task::appliesTo).map(ModeratedTexts::of)
                : titles.lock(task.postId(), task.version()).filter(TitleSnapshot::awaitingVerdict)
                        .map(ModeratedTexts::of);
    }

    /**
     * {@link #lock} for a claimed batch: the posts locked with one statement (title edits one by one,
     * as they are rare), and those whose job still applies returned.
     */
    @Transactional
    Map<ModerationTask, ModeratedText> lockAll(List<ModerationTask> tasks) {
        Map<Long, PostSnapshot> locked = posts.lock(tasks.stream().filter(t -> t.judged() == Subject.POST)
                        .map(ModerationTask::postId).distinct().toList())
                .stream().collect(Collectors.toMap(PostSnapshot::id, Function.identity()));
        Map<ModerationTask, ModeratedText> result = new HashMap<>();
        for (ModerationTask task : tasks) {
            Optional<ModeratedText> text = task.judged() == Subject.POST
                    ? Optional.ofNullable(locked.get(task.postId())).filter(task::appliesTo).map(ModeratedTexts::of)
                    : lock(task);
            text.ifPresent(t -> result.put(task, t));
        }
        return result;
    }

    /**
     * Takes the lock a decision on the subject takes first (the post's row, or its thread's for title
     * edits), so that a review resolution that then locks its item takes locks in the decision
     * recorder's order and the two cannot deadlock.
     */
    @Transactional
    void lockSubject(Subject subject, long postId) {
        if (subject == Subject.POST) {
            posts.lock(postId);
        } else {
            titles.lockThreadOf(postId);
        }
    }

    /**
     * Applies an outcome to a post version or title edit if it still is the current one: see
     * {@link ForumPosts#setStatus} and {@link ThreadTitles#setStatus}.
     */
    @Transactional
    ForumPosts.Outcome setStatus(Subject subject, long postId, int version, PostStatus outcome) {
        return subject == Subject.POST ? posts.setStatus(postId, version, outcome)
                : titles.setStatus(postId, version, outcome);
    }

    private static ModeratedText of(PostSnapshot post) {
        return new ModeratedText(Subject.POST, post.id(), post.version(), post.threadId(), post.categorySlug(),
                post.authorId(), post.text());
    }

    private static ModeratedText of(TitleSnapshot title) {
        return new ModeratedText(Subject.TITLE, title.firstPostId(), title.version(), title.threadId(),
                title.categorySlug(), title.authorId(), title.title());
    }
}
