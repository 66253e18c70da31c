package dev.parley.forum;

import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;

/** Whether the public may see a thread, for features that show threads (search, related threads). */
@Singleton
public class PublicThreads {

    private final ThreadRepository threads;

    PublicThreads(ThreadRepository threads) {
        this.threads = threads;
    }

    @Transactional(readOnly = true)
    public boolean isVisible(long threadId) {
        return threads.findById(threadId).map(ForumThread::visible).orElse(false);
    }
}
