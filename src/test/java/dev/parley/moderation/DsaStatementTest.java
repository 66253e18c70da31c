package dev.parley.moderation;

import dev.parley.moderation.DsaStatement.AutomatedDecision;
import dev.parley.moderation.DsaStatement.Category;
import dev.parley.moderation.DsaStatement.Keyword;
import dev.parley.moderation.DsaStatement.SourceType;
import dev.parley.moderation.DsaStatement.Visibility;
import dev.parley.moderation.DsaStatement.YesNo;
import dev.parley.moderation.TransparencyRepository.Ground;
import dev.parley.moderation.TransparencyRepository.Restriction;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Statements of reasons for the restrictions the HTTP test does not make: built from hand-made rows. */
class DsaStatementTest {

    private static final Instant POSTED = Instant.parse("2026-11-28T23:59:59Z");
    private static final Instant DECIDED = Instant.parse("2026-11-29T00:00:01Z");

    @Test
    void aHoldBecauseTheProviderFailedNamesNoHarmCategoryAndNoAutomatedDetection() {
        Restriction held = new Restriction("automated", 7, DECIDED, 40, 2, "flagged", List.of(), 3L, null);
        DsaStatement statement = TransparencyExport.statement(held, POSTED);
        assertEquals(List.of(Visibility.DECISION_VISIBILITY_OTHER), statement.decisionVisibility());
        assertEquals(Category.STATEMENT_CATEGORY_OTHER_VIOLATION_TC, statement.category());
        assertEquals(List.of(), statement.categorySpecification());
        assertEquals(YesNo.NO, statement.automatedDetection());
        assertEquals(AutomatedDecision.AUTOMATED_DECISION_FULLY, statement.automatedDecision());
        assertTrue(statement.decisionFacts().contains("could not score it"), statement.decisionFacts());
        assertEquals("2026-11-28", statement.contentDate(), "posted the day before it was decided, in UTC");
        assertEquals("2026-11-29", statement.applicationDate());
        assertEquals("parley-decision-7", statement.puid());
    }

    @Test
    void categoriesFollowTheScoresAndKeywordsAreNotRepeated() {
        Restriction rejected = new Restriction("automated", 8, DECIDED, 41, 1, "rejected", List.of(
                new Ground("openai", "self-harm/instructions", 0.4, 0.3, "flag"),
                new Ground("openai", "self-harm", 0.5, 0.4, "flag"),
                new Ground("rules", "harassment/threatening", 0.95, 0.7, "reject"),
                new Ground("openai", "harassment", 0.6, 0.5, "flag")), 0L, null);
        DsaStatement statement = TransparencyExport.statement(rejected, POSTED);
        assertEquals(Category.STATEMENT_CATEGORY_CYBER_VIOLENCE, statement.category());
        assertEquals(List.of(Category.STATEMENT_CATEGORY_SELF_HARM), statement.categoryAddition());
        assertEquals(List.of(Keyword.KEYWORD_CYBER_BULLYING_INTIMIDATION, Keyword.KEYWORD_CYBER_HARASSMENT,
                Keyword.KEYWORD_SELF_MUTILATION), statement.categorySpecification());
        assertEquals("Thresholds of the forum's moderation policy (built-in defaults, version 0)",
                statement.incompatibleContentGround());
        assertTrue(statement.incompatibleContentExplanation().startsWith(
                "Automated classification: harassment/threatening 0.95 (reject threshold 0.70); harassment 0.60"),
                statement.incompatibleContentExplanation());
    }

    @Test
    void aModeratorsRemovalAfterFlagsAndReportsIsPartlyAutomatedAndANotice() {
        Restriction removed = new Restriction("moderator", 9, DECIDED, 42, 1, "rejected", List.of(
                new Ground("openai", "hate", 0.45, 0.4, null),
                new Ground("report", "user report", null, null, null)), 5L, null);
        DsaStatement statement = TransparencyExport.statement(removed, POSTED);
        assertEquals("parley-review-9", statement.puid());
        assertEquals(List.of(Visibility.DECISION_VISIBILITY_CONTENT_REMOVED), statement.decisionVisibility());
        assertNull(statement.decisionVisibilityOther());
        assertEquals(SourceType.SOURCE_TYPE_OTHER_NOTIFICATION, statement.sourceType());
        assertEquals(AutomatedDecision.AUTOMATED_DECISION_PARTIALLY, statement.automatedDecision());
        assertEquals(YesNo.YES, statement.automatedDetection());
        assertEquals("A moderator reviewed the post after automated flagging and members' reports and removed it.",
                statement.decisionFacts());
        assertNull(statement.endDateVisibilityRestriction());
    }
}
