package dev.parley.moderation;

import dev.parley.auth.UsernameScreen;
import io.micronaut.scheduling.TaskExecutors;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Screens a username at registration with the same scorer and policy as posts, synchronously: a name
 * cannot wait in a queue the way a post does (it is the account's identity, shown beside all it
 * writes), so one the policy would flag or reject is refused instead. When the provider fails or
 * does not answer within the configured timeout, the rules alone decide, so registration never
 * depends on the provider being up.
 */
@Singleton
class UsernameScreening implements UsernameScreen {

    private static final Logger LOG = LoggerFactory.getLogger(UsernameScreening.class);
    /** No forum category has an empty slug: the global thresholds apply. */
    private static final String NO_FORUM_CATEGORY = "";

    private final ModerationScorer scorer;
    private final PolicyService policies;
    private final ProviderHealth health;
    private final UsernameScreenConfig config;
    private final ExecutorService executor;

    UsernameScreening(ModerationScorer scorer, PolicyService policies, ProviderHealth health,
                      UsernameScreenConfig config, @Named(TaskExecutors.BLOCKING) ExecutorService executor) {
        this.config = config;
        this.executor = executor;
        this.scorer = scorer;
        this.policies = policies;
        this.health = health;
    }

    @Override
    public List<String> objections(String username) {
        List<String> texts = List.of(readable(username));
        ModerationScorer.Result result = scoreWithin(texts).results().get(0);
        Verdict verdict = PolicyEvaluator.decide(policies.current(), NO_FORUM_CATEGORY, result.scores(),
                result.sources());
        return verdict.decision() == Decision.PUBLISHED ? List.of() : verdict.categories();
    }

    /** The provider's (and the rules') scores, or the rules' alone when it fails or takes too long. */
    private ModerationScorer.Scored scoreWithin(List<String> texts) {
        Future<ModerationScorer.Scored> call = executor.submit(() -> scorer.score(texts));
        try {
            ModerationScorer.Scored scored = call.get(config.timeout().toMillis(), TimeUnit.MILLISECONDS);
            health.succeeded();
            return scored;
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof ProviderException failure)) {
                throw new IllegalStateException("Screening a username failed", e.getCause());
            }
            health.failed(failure);
            LOG.warn("Moderation provider failed screening a username, rules decide: {} {}", failure.kind(),
                    failure.getMessage());
        } catch (TimeoutException e) {
            call.cancel(true);
            LOG.warn("Moderation provider took over {} screening a username, rules decide", config.timeout());
        } catch (InterruptedException e) {
            call.cancel(true);
            Thread.currentThread().interrupt();
        }
        return scorer.rulesOnly(texts);
    }

    /** The separators a username allows read as spaces, so that word and phrase rules see its words. */
    static String readable(String username) {
        return username.replaceAll("[_.-]+", " ").strip();
    }
}
