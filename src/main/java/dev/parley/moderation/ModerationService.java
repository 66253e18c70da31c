package dev.parley.moderation;

import dev.parley.forum.ModerationGateway;
import dev.parley.forum.ModerationSummary;
import dev.parley.pipeline.JobQueue;
import dev.parley.pipeline.JobRequest;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/** The forum's entry to moderation: queueing post versions and reading what was decided. */
@Singleton
class ModerationService implements ModerationGateway {

    private final JobQueue jobs;
    private final DecisionRepository decisions;
    private final ModerationScorer scorer;
    private final ModerationConfig config;

    ModerationService(JobQueue jobs, DecisionRepository decisions, ModerationScorer scorer, ModerationConfig config) {
        this.jobs = jobs;
        this.decisions = decisions;
        this.scorer = scorer;
        this.config = config;
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

    @Override
    @Transactional(readOnly = true)
    public Map<Long, ModerationSummary> summaries(Collection<Long> postIds, boolean staff) {
        Map<Long, ModerationSummary> result = new HashMap<>();
        decisions.latest(postIds.toArray(Long[]::new)).forEach(d -> {
            ModerationSummary full = new ModerationSummary(d.decision().wire(),
                    d.fired().stream().map(Verdict.Fired::category).distinct().toList(), d.provider(), d.model(),
                    d.scores(), d.policyVersion(), d.unmoderated(), d.rules().stream().map(TrustRule::summary).toList());
            result.put(d.postId(), staff ? full : full.forAuthor());
        });
        return result;
    }
}
