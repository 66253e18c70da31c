package dev.parley.moderation;

import dev.parley.moderation.DsaStatement.Category;
import dev.parley.moderation.DsaStatement.Keyword;
import io.micronaut.core.annotation.Nullable;

import java.util.Map;
import java.util.Optional;

/**
 * Which DSA statement category (and keyword, where one fits) each of OpenAI's harm categories
 * reports as. A choice, documented in docs/moderation.md ("Transparency export"), not a fact of
 * either vocabulary: the two were made for different purposes.
 */
final class DsaCategories {

    /** A harm category's DSA category and its keyword, if the DSA's list has a fitting one. */
    record Mapping(Category category, @Nullable Keyword keyword) {
    }

    /** For a restriction no harm category explains (a moderator's call on a report, the provider failing). */
    static final Mapping UNEXPLAINED = new Mapping(Category.STATEMENT_CATEGORY_OTHER_VIOLATION_TC, null);

    private static final Map<String, Mapping> BY_HARM = Map.ofEntries(
            Map.entry("harassment", new Mapping(Category.STATEMENT_CATEGORY_CYBER_VIOLENCE, Keyword.KEYWORD_CYBER_HARASSMENT)),
            Map.entry("harassment/threatening",
                    new Mapping(Category.STATEMENT_CATEGORY_CYBER_VIOLENCE, Keyword.KEYWORD_CYBER_BULLYING_INTIMIDATION)),
            Map.entry("hate", new Mapping(Category.STATEMENT_CATEGORY_ILLEGAL_OR_HARMFUL_SPEECH, Keyword.KEYWORD_HATE_SPEECH)),
            Map.entry("hate/threatening",
                    new Mapping(Category.STATEMENT_CATEGORY_VIOLENCE, Keyword.KEYWORD_INCITEMENT_VIOLENCE_HATRED)),
            Map.entry("illicit",
                    new Mapping(Category.STATEMENT_CATEGORY_UNSAFE_AND_PROHIBITED_PRODUCTS, Keyword.KEYWORD_PROHIBITED_PRODUCTS)),
            Map.entry("illicit/violent", new Mapping(Category.STATEMENT_CATEGORY_RISK_FOR_PUBLIC_SECURITY, null)),
            Map.entry("self-harm", new Mapping(Category.STATEMENT_CATEGORY_SELF_HARM, Keyword.KEYWORD_SELF_MUTILATION)),
            Map.entry("self-harm/intent", new Mapping(Category.STATEMENT_CATEGORY_SELF_HARM, Keyword.KEYWORD_SUICIDE)),
            Map.entry("self-harm/instructions", new Mapping(Category.STATEMENT_CATEGORY_SELF_HARM, null)),
            Map.entry("sexual", new Mapping(Category.STATEMENT_CATEGORY_OTHER_VIOLATION_TC, Keyword.KEYWORD_ADULT_SEXUAL_MATERIAL)),
            Map.entry("sexual/minors",
                    new Mapping(Category.STATEMENT_CATEGORY_PROTECTION_OF_MINORS, Keyword.KEYWORD_CHILD_SEXUAL_ABUSE_MATERIAL)),
            Map.entry("violence", new Mapping(Category.STATEMENT_CATEGORY_VIOLENCE, null)),
            Map.entry("violence/graphic", new Mapping(Category.STATEMENT_CATEGORY_VIOLENCE, null)));

    private DsaCategories() {
    }

    /** The mapping of a harm category, or empty for anything else (a report, "provider unavailable"). */
    static Optional<Mapping> of(String harmCategory) {
        return Optional.ofNullable(BY_HARM.get(harmCategory));
    }
}
