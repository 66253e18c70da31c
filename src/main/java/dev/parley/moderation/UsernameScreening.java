package dev.parley.moderation;

import dev.parley.auth.UsernameScreen;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * Screens a username at registration with the same scorer and policy as posts, synchronously: a name
 * cannot wait in a queue the way a post does (it is the account's identity, shown beside all it
 * writes), so one the policy would flag or reject is refused instead. When the provider fails, the
 * rules alone decide, so registration never depends on the provider being up.
 */
@Singleton
class UsernameScreening implements UsernameScreen {

    private static final Logger LOG = LoggerFactory.getLogger(UsernameScreening.class);
    /** No forum category has an empty slug: the global thresholds apply. */
    private static final String NO_FORUM_CATEGORY = "";

    private final ModerationScorer scorer;
    private final PolicyService policies;
    private final ProviderHealth health;

    UsernameScreening(ModerationScorer scorer, PolicyService policies, ProviderHealth health) {
        this.scorer = scorer;
        this.policies = policies;
        this.health = health;
    }

    @Override
    public List<String> objections(String username) {
        List<String> texts = List.of(readable(username));
        ModerationScorer.Scored scored;
        try {
            scored = scorer.score(texts);
            health.succeeded();
        } catch (ProviderException e) {
            health.failed(e);
            LOG.warn("Moderation provider failed screening a username, rules decide: {} {}", e.kind(), e.getMessage());
            scored = scorer.rulesOnly(texts);
        }
        ModerationScorer.Result result = scored.results().get(0);
        Verdict verdict = PolicyEvaluator.decide(policies.current(), NO_FORUM_CATEGORY, result.scores(),
                result.sources());
        return verdict.decision() == Decision.PUBLISHED ? List.of() : verdict.categories();
    }

    /** The separators a username allows read as spaces, so that word and phrase rules see its words. */
    static String readable(String username) {
        return username.replaceAll("[_.-]+", " ").strip();
    }
}
