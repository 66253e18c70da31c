package dev.parley.moderation;

import com.fasterxml.jackson.annotation.JsonValue;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.serde.config.naming.SnakeCaseStrategy;

import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * One line of the transparency export: a restriction of a post, with the fields and enumeration
 * values of a statement of reasons in the EU DSA transparency database (API schema v2, July 2025;
 * docs/moderation.md, "Transparency export"). The enums' constant names are the database's values.
 * {@code parley} is not a DSA field: it ties the line to the post and decision it came from, and is
 * to be dropped before submission.
 */
@Serdeable(naming = SnakeCaseStrategy.class)
record DsaStatement(String puid,
                    List<Visibility> decisionVisibility,
                    @Nullable String decisionVisibilityOther,
                    Ground decisionGround,
                    String incompatibleContentGround,
                    String incompatibleContentExplanation,
                    YesNo incompatibleContentIllegal,
                    List<ContentType> contentType,
                    Category category,
                    List<Category> categoryAddition,
                    List<Keyword> categorySpecification,
                    List<String> territorialScope,
                    String contentDate,
                    String applicationDate,
                    @Nullable String endDateVisibilityRestriction,
                    String decisionFacts,
                    SourceType sourceType,
                    YesNo automatedDetection,
                    AutomatedDecision automatedDecision,
                    Origin parley) {

    /** The EEA's member states (ISO 3166-1 alpha-2, as the database spells them): a forum open to all of them. */
    static final List<String> EEA = List.of("AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR",
            "HR", "HU", "IE", "IS", "IT", "LI", "LT", "LU", "LV", "MT", "NL", "NO", "PL", "PT", "RO", "SE", "SI", "SK");

    /** Where a line comes from: which decision about which post version. */
    @Serdeable(naming = SnakeCaseStrategy.class)
    record Origin(Kind kind, long id, long postId, int postVersion, Decision decision, Instant at,
                  @Nullable Long policyVersion) {
    }

    /** Who decided: the automated moderation (a row of moderation_decisions) or a moderator (a review item). */
    @Serdeable
    enum Kind {
        AUTOMATED, MODERATOR;

        @JsonValue
        String wire() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** decision_visibility: a rejected post is removed; a flagged one is held back until a moderator decides. */
    @Serdeable
    enum Visibility { DECISION_VISIBILITY_CONTENT_REMOVED, DECISION_VISIBILITY_OTHER }

    /** decision_ground: the policy is the forum's terms; Parley does not judge legality. */
    @Serdeable
    enum Ground { DECISION_GROUND_INCOMPATIBLE_CONTENT }

    @Serdeable
    enum ContentType { CONTENT_TYPE_TEXT }

    /** category and category_addition: the values a harm category maps to ({@link DsaCategories}). */
    @Serdeable
    enum Category {
        STATEMENT_CATEGORY_CYBER_VIOLENCE,
        STATEMENT_CATEGORY_ILLEGAL_OR_HARMFUL_SPEECH,
        STATEMENT_CATEGORY_VIOLENCE,
        STATEMENT_CATEGORY_UNSAFE_AND_PROHIBITED_PRODUCTS,
        STATEMENT_CATEGORY_RISK_FOR_PUBLIC_SECURITY,
        STATEMENT_CATEGORY_SELF_HARM,
        STATEMENT_CATEGORY_OTHER_VIOLATION_TC,
        STATEMENT_CATEGORY_PROTECTION_OF_MINORS
    }

    /** category_specification: the keywords a harm category maps to. */
    @Serdeable
    enum Keyword {
        KEYWORD_CYBER_HARASSMENT,
        KEYWORD_CYBER_BULLYING_INTIMIDATION,
        KEYWORD_HATE_SPEECH,
        KEYWORD_INCITEMENT_VIOLENCE_HATRED,
        KEYWORD_PROHIBITED_PRODUCTS,
        KEYWORD_SELF_MUTILATION,
        KEYWORD_SUICIDE,
        KEYWORD_ADULT_SEXUAL_MATERIAL,
        KEYWORD_CHILD_SEXUAL_ABUSE_MATERIAL
    }

    /** source_type: automated detection is the platform's own initiative; a member's report is a notice. */
    @Serdeable
    enum SourceType { SOURCE_VOLUNTARY, SOURCE_TYPE_OTHER_NOTIFICATION }

    @Serdeable
    enum AutomatedDecision { AUTOMATED_DECISION_FULLY, AUTOMATED_DECISION_PARTIALLY, AUTOMATED_DECISION_NOT_AUTOMATED }

    /** automated_detection and incompatible_content_illegal are the words "Yes" and "No". */
    @Serdeable
    enum YesNo {
        YES, NO;

        @JsonValue
        String wire() {
            return this == YES ? "Yes" : "No";
        }
    }
}
