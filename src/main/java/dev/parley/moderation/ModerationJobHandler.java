package dev.parley.moderation;

import dev.parley.pipeline.BatchJobHandler;
import dev.parley.pipeline.Job;
import dev.parley.pipeline.JobKind;
import dev.parley.pipeline.RetryLater;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Moderates the posts and title edits of a claimed batch with one provider request, and records
 * their decisions in one transaction (one by one if that fails, so one bad text holds back no other). A rate limit
 * defers the batch by the provider's Retry-After; other provider failures are retried with the
 * pipeline's backoff, and on a post's last attempt (or at once for a configuration error) the
 * policy's onProviderFailure applies instead, so no post waits forever.
 */
@Singleton
class ModerationJobHandler implements BatchJobHandler<ModerationTask> {

    private static final Logger LOG = LoggerFactory.getLogger(ModerationJobHandler.class);
    static final int MAX_BATCH = 32;

    private final ModeratedTexts moderated;
    private final ModerationScorer scorer;
    private final PolicyService policies;
    private final DecisionRecorder recorder;
    private final ProviderHealth health;

    ModerationJobHandler(ModeratedTexts moderated, ModerationScorer scorer, PolicyService policies,
                         DecisionRecorder recorder, ProviderHealth health) {
        this.moderated = moderated;
        this.scorer = scorer;
        this.policies = policies;
        this.recorder = recorder;
        this.health = health;
    }

    @Override
    public JobKind<ModerationTask> kind() {
        return ModerationTask.KIND;
    }

    @Override
    public int maxBatch() {
        return MAX_BATCH;
    }

    @Override
    public Map<Long, Exception> handleBatch(List<Job<ModerationTask>> jobs) {
        Map<Long, Exception> failures = new HashMap<>();
        Map<ModerationTask, ModeratedText> found = moderated.awaiting(jobs.stream().map(Job::payload).toList());
        List<Job<ModerationTask>> live = jobs.stream().filter(job -> found.containsKey(job.payload())).toList();
        if (live.isEmpty()) {
            return failures;
        }
        List<String> texts = live.stream().map(job -> found.get(job.payload()).text()).toList();
        ModerationScorer.Scored scored;
        boolean providerFailed = false;
        List<Job<ModerationTask>> decide = live;
        try {
            scored = scorer.score(texts);
            health.succeeded();
        } catch (ProviderException e) {
            health.failed(e);
            LOG.warn("Moderation provider failed for {} posts: {} {}", live.size(), e.kind(), e.getMessage());
            if (e.kind() == ProviderException.Kind.RATE_LIMITED && e.retryAfter() != null) {
                live.forEach(job -> failures.put(job.id(), new RetryLater(e.retryAfter(), e.getMessage())));
                return failures;
            }
            boolean hopeless = e.kind() == ProviderException.Kind.CONFIGURATION;
            List<Job<ModerationTask>> lastChance = live.stream()
                    .filter(job -> hopeless || job.attempt() >= job.maxAttempts()).toList();
            live.stream().filter(job -> !lastChance.contains(job))
                    .forEach(job -> failures.put(job.id(), new IllegalStateException(e.kind() + ": " + e.getMessage())));
            decide = lastChance;
            if (decide.isEmpty()) {
                return failures;
            }
            texts = decide.stream().map(job -> found.get(job.payload()).text()).toList();
            scored = scorer.rulesOnly(texts);
            providerFailed = true;
        }
        Policy policy = policies.current();
        List<DecisionRecorder.Scoring> batch = new ArrayList<>(decide.size());
        for (int i = 0; i < decide.size(); i++) {
            batch.add(new DecisionRecorder.Scoring(decide.get(i).payload(), scored.results().get(i)));
        }
        try {
            recorder.recordAll(batch, scored, policy, providerFailed);
            return failures;
        } catch (RuntimeException batchFailed) {
            LOG.info("Recording {} decisions together failed, recording them one by one: {}", batch.size(),
                    batchFailed.toString());
        }
        for (int i = 0; i < decide.size(); i++) {
            Job<ModerationTask> job = decide.get(i);
            try {
                recorder.record(job.payload(), scored, scored.results().get(i), policy, providerFailed);
            } catch (RuntimeException e) {
                failures.put(job.id(), e);
            }
        }
        return failures;
    }
}
