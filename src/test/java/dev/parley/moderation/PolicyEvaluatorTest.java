package dev.parley.moderation;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The policy's decision for an author, new-account rules included; no database. */
class PolicyEvaluatorTest {

    private static final HarmScores CLEAN = new HarmScores(Map.of("harassment", 0.01));
    private static final HarmScores SNARKY = new HarmScores(Map.of("harassment", 0.3));
    private static final HarmScores HATEFUL = new HarmScores(Map.of("hate", 0.95));
    private static final PolicyEvaluator.Author NEWCOMER = new PolicyEvaluator.Author(0, 0, false);

    private static Policy policy(Policy.NewAccounts global, Map<String, Policy.CategoryOverride> overrides) {
        Map<String, Thresholds> thresholds = new LinkedHashMap<>();
        thresholds.put("harassment", new Thresholds(0.5, 0.9));
        thresholds.put("hate", new Thresholds(0.4, 0.8));
        return new Policy(thresholds, overrides, Policy.FLAG, 3L, global);
    }

    private static Policy reviewFirst(int n) {
        return policy(new Policy.NewAccounts(1, n, Map.of()), Map.of());
    }

    @Test
    void withoutNewAccountRulesNothingChanges() {
        Verdict verdict = PolicyEvaluator.decide(policy(null, Map.of()), "general", SNARKY, Map.of(), NEWCOMER);
        assertEquals(Decision.PUBLISHED, verdict.decision());
        assertEquals(List.of(), verdict.rules());
    }

    @Test
    void aNewAccountsFirstPostsAreHeldAndNamedByTheirNumber() {
        Verdict first = PolicyEvaluator.decide(reviewFirst(3), "general", CLEAN, Map.of(), NEWCOMER);
        assertEquals(Decision.FLAGGED, first.decision());
        assertEquals(List.of(), first.fired(), "no threshold fired: the rule alone holds the post");
        TrustRule rule = first.rules().get(0);
        assertEquals(TrustRule.Kind.REVIEW, rule.kind());
        assertEquals("new-account review: post 1 of first 3 at level 0", rule.summary());

        Verdict third = PolicyEvaluator.decide(reviewFirst(3), "general", CLEAN, Map.of(),
                new PolicyEvaluator.Author(0, 2, false));
        assertEquals(Decision.FLAGGED, third.decision());
        assertEquals("new-account review: post 3 of first 3 at level 0", third.rules().get(0).summary());

        Verdict fourth = PolicyEvaluator.decide(reviewFirst(3), "general", CLEAN, Map.of(),
                new PolicyEvaluator.Author(0, 3, false));
        assertEquals(Decision.PUBLISHED, fourth.decision());
        assertEquals(List.of(), fourth.rules());
    }

    @Test
    void reviewFirstNeverSoftensARejection() {
        Verdict verdict = PolicyEvaluator.decide(reviewFirst(3), "general", HATEFUL, Map.of(), NEWCOMER);
        assertEquals(Decision.REJECTED, verdict.decision());
    }

    @Test
    void accountsAtTheLevelStaffAndUnknownAuthorsAreNotNew() {
        assertEquals(Decision.PUBLISHED, PolicyEvaluator.decide(reviewFirst(3), "general", CLEAN, Map.of(),
                new PolicyEvaluator.Author(1, 0, false)).decision());
        assertEquals(Decision.PUBLISHED, PolicyEvaluator.decide(reviewFirst(3), "general", CLEAN, Map.of(),
                new PolicyEvaluator.Author(0, 0, true)).decision());
        assertEquals(Decision.PUBLISHED, PolicyEvaluator.decide(reviewFirst(3), "general", CLEAN, Map.of()).decision());
    }

    @Test
    void stricterThresholdsApplyInTheCategoryThatHasThemAndNotInAnother() {
        Policy policy = policy(null, Map.of("newcomers", new Policy.CategoryOverride(null,
                new Policy.NewAccounts(1, 0, Map.of("harassment", new Thresholds(0.2, 0.6))))));
        Verdict strict = PolicyEvaluator.decide(policy, "newcomers", SNARKY, Map.of("harassment", "openai"), NEWCOMER);
        assertEquals(Decision.FLAGGED, strict.decision());
        assertEquals(new Verdict.Fired("harassment", 0.3, 0.2, "flag", "openai"), strict.fired().get(0));
        assertEquals("new-account thresholds (level 0 < 1)", strict.rules().get(0).summary());

        Verdict elsewhere = PolicyEvaluator.decide(policy, "general", SNARKY, Map.of(), NEWCOMER);
        assertEquals(Decision.PUBLISHED, elsewhere.decision());
        assertEquals(List.of(), elsewhere.rules());
    }

    @Test
    void theCategorysNewAccountRulesReplaceTheGlobalOnes() {
        Policy policy = policy(new Policy.NewAccounts(1, 3, Map.of()),
                Map.of("open-house", new Policy.CategoryOverride(null, new Policy.NewAccounts(0, 0, null))));
        assertEquals(Decision.PUBLISHED, PolicyEvaluator.decide(policy, "open-house", CLEAN, Map.of(), NEWCOMER).decision());
        assertEquals(Decision.FLAGGED, PolicyEvaluator.decide(policy, "general", CLEAN, Map.of(), NEWCOMER).decision());
    }

    @Test
    void newAccountThresholdsOnlyEverTighten() {
        assertEquals(new Thresholds(0.2, 0.8), PolicyEvaluator.stricterOf(new Thresholds(0.5, 0.8), new Thresholds(0.2, 0.95)));
        assertEquals(new Thresholds(0.5, 0.7), PolicyEvaluator.stricterOf(new Thresholds(0.5, null), new Thresholds(null, 0.7)));
        assertEquals(new Thresholds(0.3, null), PolicyEvaluator.stricterOf(null, new Thresholds(0.3, null)));
        assertNull(PolicyEvaluator.stricterOf(null, null));
    }
}
