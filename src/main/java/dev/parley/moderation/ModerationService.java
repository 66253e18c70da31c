package dev.parley.moderation;

import dev.parley.forum.ModerationGateway;
import dev.parley.forum.ModerationSummary;
import dev.parley.pipeline.JobQueue;
import dev.parley.pipeline.JobRequest;
import jakarta.inject.Singleton;

import java.util.Collection;
import java.util.Map;

/** The forum's entry to moderation: queueing post versions and reading what was decided. */
@Singleton
class ModerationService implements ModerationGateway {

    private final JobQueue jobs;
    private final ModerationScorer scorer;
    private final ModerationConfig config;
    private final StatementsOfReasons statements;

    ModerationService(JobQueue jobs, ModerationScorer scorer, ModerationConfig config, StatementsOfReasons statements) {
        this.jobs = jobs;
        this.scorer = scorer;
        this.config = config;
        this.statements = statements;
    }

    @Override
    public void submit(long postId, int version) {
        enqueue(new ModerationTask(postId, version, false, scorer.primary()));
    }

    /** Queues a post published without the provider's verdict for another look. */
    void rescan(long postId, int version) {
        enqueue(new ModerationTask(postId, version, true, scorer.primary()));
    }

    private void enqueue(ModerationTask task) {
        jobs.enqueue(JobRequest.of(ModerationTask.KIND, task)
                .uniqueBy(task.postId() + "@" + task.version())
                .withMaxAttempts(config.maxAttempts()));
    }

    /** The statement of reasons of each post that has a decision (see {@link StatementsOfReasons}). */
    @Override
    public Map<Long, ModerationSummary> summaries(Collection<Long> postIds, boolean staff) {
        return statements.summaries(postIds, staff);
    }
}
