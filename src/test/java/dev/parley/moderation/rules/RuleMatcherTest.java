package dev.parley.moderation.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.parley.moderation.rules.Rule.Kind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;

class RuleMatcherTest {

    private static final Rule KILL = new Rule("kill", Kind.WORD, "violence", 0.8);
    private static final Rule ASS = new Rule("ass", Kind.WORD, "harassment", 0.5);
    private static final Rule FREE_MONEY = new Rule("free money", Kind.PHRASE, "illicit", 0.7);

    private static boolean matches(Rule rule, String text) {
        RuleMatcher.Result result = RuleMatcher.compile(List.of(rule)).match(text);
        return result.matched().contains(rule);
    }

    // --- Obfuscation -------------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {
        "kill",
        "KILL",
        "KiLl",
        "ｋｉｌｌ", // full-width
        "ＫＩＬＬ", // full-width capitals
        "kíll", // precomposed accent
        "ki\u0301ll", // combining accent
        "k\u200Bill", // zero-width space
        "k\u200Cil\u200Dl", // zero-width non-joiner and joiner
        "k\u2060ill", // word joiner
        "k\uFEFFill", // zero-width no-break space
        "ki\u00ADll", // soft hyphen
        "Ｋí\u200Bl\u00ADL", // all at once
        "i will kill you",
        "I will ＫＩ\u200BＬＬ you!",
    })
    void wordRuleCatchesObfuscatedSpellings(String text) {
        assertTrue(matches(KILL, text), text);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "free money",
        "FREE MONEY",
        "ｆｒｅｅ ｍｏｎｅｙ",
        "frée mõney",
        "fr\u200Bee mo\u2060ney",
        "fr\u00ADee mon\u00ADey",
        "free\nmoney",
        "free\r\n\r\nmoney",
        "free     money",
        "free \t \n money",
        "free\u00A0money", // no-break space
        "free\u3000money", // ideographic space
        "get your FR\u200BÉE\n  ＭＯＮＥＹ now",
    })
    void phraseRuleCatchesObfuscatedSpellingsAndWhitespaceRuns(String text) {
        assertTrue(matches(FREE_MONEY, text), text);
    }

    @Test
    void normalizerFoldsEveryObfuscationIntoPlainLowercaseText() {
        assertEquals("free money", TextNormalizer.normalize("  ＦＲ\u200BÉ\u00ADe \n\t Mõ\uFEFFney\n"));
    }

    @Test
    void normalizerLowercasesIndependentlyOfTheDefaultLocale() {
        // Under a Turkish default locale, String.toLowerCase() would turn "I" into a dotless "ı".
        Locale before = Locale.getDefault();
        Locale.setDefault(Locale.forLanguageTag("tr-TR"));
        try {
            assertEquals("kill", TextNormalizer.normalize("KILL"));
            assertEquals("istanbul", TextNormalizer.normalize("İSTANBUL"));
        } finally {
            Locale.setDefault(before);
        }
    }

    @Test
    void patternsAreNormalizedLikeTexts() {
        Rule fullWidthAccentedRule = new Rule("ＫÍll", Kind.WORD, "violence", 0.8);
        assertTrue(matches(fullWidthAccentedRule, "kill"));
    }

    // --- Word boundaries ---------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"skill", "skills", "killer", "overkill", "sk\u200Bill", "ｓｋｉｌｌ", "kill2"})
    void wordRuleDoesNotMatchInsideOtherWords(String text) {
        assertFalse(matches(KILL, text), text);
    }

    @ParameterizedTest
    @ValueSource(strings = {"class", "assistant", "bass", "passage", "Classic", "ＣＬＡＳＳ"})
    void shortWordRuleDoesNotMatchInsideOtherWords(String text) {
        assertFalse(matches(ASS, text), text);
    }

    @ParameterizedTest
    @ValueSource(strings = {"kill", "kill.", "(kill)", "kill-switch", "\"kill\"", "kill_", "to kill, or not"})
    void wordRuleMatchesNextToPunctuationAndTextEdges(String text) {
        assertTrue(matches(KILL, text), text);
    }

    @Test
    void phraseRuleDoesNotMatchInsideLongerWords() {
        assertFalse(matches(FREE_MONEY, "carefree moneys"));
        assertFalse(matches(FREE_MONEY, "free moneylender"));
    }

    @Test
    void phraseRuleRequiresItsWordsInOrder() {
        assertFalse(matches(FREE_MONEY, "money free"));
        assertFalse(matches(FREE_MONEY, "free the money"));
    }

    // --- Regular expressions -----------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"FR33 MONEY", "fr33money", "Free   Money", "ＦＲ３３\nＭＯＮＥＹ", "frë3 money"})
    void regexRuleMatchesCaseInsensitivelyOnNormalizedText(String text) {
        Rule rule = new Rule("fr[e3]{2}\\s*money", Kind.REGEX, "illicit", 0.6);
        assertTrue(matches(rule, text), text);
    }

    @Test
    void regexRuleWithCapitalsMatchesLowercasedText() {
        assertTrue(matches(new Rule("FREE\\s+CASH", Kind.REGEX, "illicit", 0.6), "free cash"));
    }

    @Test
    void regexRuleDoesNotMatchUnrelatedText() {
        assertFalse(matches(new Rule("fr[e3]{2}\\s*money", Kind.REGEX, "illicit", 0.6), "free honey"));
    }

    // --- Scoring -----------------------------------------------------------------------------------

    @Test
    void highestScoreAmongMatchingRulesOfACategoryWins() {
        Rule low = new Rule("kill", Kind.WORD, "violence", 0.3);
        Rule high = new Rule("i will kill", Kind.PHRASE, "violence", 0.9);
        Rule middle = new Rule("k[i1]ll", Kind.REGEX, "violence", 0.6);
        RuleMatcher matcher = RuleMatcher.compile(List.of(low, high, middle));

        RuleMatcher.Result result = matcher.match("I will kill");

        assertEquals(Map.of("violence", 0.9), result.scores().scores());
        assertEquals(List.of(low, high, middle), result.matched());
    }

    @Test
    void rulesOfSeveralCategoriesScoreEachCategory() {
        Rule hate = new Rule("vermin", Kind.WORD, "hate", 0.7);
        Rule unmatched = new Rule("bomb", Kind.WORD, "illicit/violent", 1.0);
        RuleMatcher matcher = RuleMatcher.compile(List.of(KILL, hate, FREE_MONEY, unmatched));

        RuleMatcher.Result result = matcher.match("Kill the vermin for free\nmoney");

        assertEquals(Map.of("violence", 0.8, "hate", 0.7, "illicit", 0.7), result.scores().scores());
        assertEquals(List.of(KILL, hate, FREE_MONEY), result.matched());
    }

    @Test
    void textMatchingNoRuleScoresNothing() {
        RuleMatcher.Result result = RuleMatcher.compile(List.of(KILL, FREE_MONEY)).match("a kind word");

        assertTrue(result.scores().scores().isEmpty());
        assertTrue(result.matched().isEmpty());
    }

    @Test
    void emptyRuleListScoresNothing() {
        RuleMatcher.Result result = RuleMatcher.compile(List.of()).match("kill free money");

        assertTrue(result.scores().scores().isEmpty());
        assertTrue(result.matched().isEmpty());
    }

    @Test
    void compileSkipsInvalidRulesInsteadOfFailing() {
        Rule broken = new Rule("(unclosed", Kind.REGEX, "violence", 0.9);
        Rule unknownCategory = new Rule("kill", Kind.WORD, "rudeness", 0.9);
        RuleMatcher matcher = RuleMatcher.compile(List.of(broken, unknownCategory, FREE_MONEY));

        RuleMatcher.Result result = matcher.match("(unclosed kill for free money");

        assertEquals(List.of(FREE_MONEY), result.matched());
    }

    // --- Runaway regular expressions ---------------------------------------------------------------

    // Java 9+ memoises simple nested loops, so "(a+)+$" finishes quickly on its own; "((a+)+)+$" and
    // the back-reference variant still backtrack exponentially and only the time budget stops them.
    @ParameterizedTest
    @ValueSource(strings = {"(a+)+$", "((a+)+)+$", "(a+)+\\1$"})
    void catastrophicRegexGivesUpWithinItsBudgetAndOtherRulesStillApply(String catastrophic) {
        Rule runaway = new Rule(catastrophic, Kind.REGEX, "violence", 0.9);
        Rule harmless = new Rule("a{3}!", Kind.REGEX, "harassment", 0.4);
        RuleMatcher matcher = RuleMatcher.compile(List.of(runaway, harmless));
        String text = "a".repeat(40) + "!";

        RuleMatcher.Result result = assertTimeoutPreemptively(Duration.ofSeconds(1), () -> matcher.match(text));

        assertEquals(List.of(harmless), result.matched());
        assertEquals(Map.of("harassment", 0.4), result.scores().scores());
    }

    @Test
    void regexPastItsBudgetCountsAsUnmatchedWhileLiteralRulesStillMatch() {
        // Each clock reading is a second later than the last: every regex is out of time at once.
        AtomicLong now = new AtomicLong();
        RuleMatcher matcher = RuleMatcher.compile(
                List.of(new Rule("kill", Kind.REGEX, "violence", 0.9), KILL),
                Duration.ofMillis(50),
                () -> now.addAndGet(1_000_000_000L));

        RuleMatcher.Result result = matcher.match("kill");

        assertEquals(List.of(KILL), result.matched());
    }

    @Test
    void regexWithinItsBudgetMatches() {
        AtomicLong frozen = new AtomicLong(42);
        RuleMatcher matcher = RuleMatcher.compile(
                List.of(new Rule("kill", Kind.REGEX, "violence", 0.9)), Duration.ofMillis(50), frozen::get);

        assertEquals(1, matcher.match("kill").matched().size());
    }

    @Test
    void timedOutRegexIsLoggedByPatternNeverByUserText() {
        Logger logger = (Logger) LoggerFactory.getLogger(RuleMatcher.class);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        logger.addAppender(appender);
        try {
            AtomicLong now = new AtomicLong();
            RuleMatcher matcher = RuleMatcher.compile(
                    List.of(new Rule("secret-pattern-\\w+", Kind.REGEX, "violence", 0.9)),
                    Duration.ofMillis(50),
                    () -> now.addAndGet(1_000_000_000L));

            matcher.match("my private message");

            assertEquals(1, appender.list.size());
            String logged = appender.list.get(0).getFormattedMessage();
            assertTrue(logged.contains("secret-pattern-\\w+"), logged);
            assertFalse(logged.contains("private"), logged);
        } finally {
            logger.detachAppender(appender);
        }
    }

    // --- Validation --------------------------------------------------------------------------------

    private static List<String> problemsOfSecondRule(Rule rule) {
        return RuleMatcher.validate(List.of(KILL, rule));
    }

    @Test
    void validRulesHaveNoProblems() {
        List<Rule> rules = List.of(KILL, ASS, FREE_MONEY, new Rule("fr[e3]{2}\\s*money", Kind.REGEX, "illicit", 0),
                new Rule("x", Kind.WORD, "sexual/minors", 1));
        assertEquals(List.of(), RuleMatcher.validate(rules));
    }

    @Test
    void validateRejectsBlankAndMissingPatterns() {
        assertEquals(List.of("rules[1].pattern: must not be blank"),
                problemsOfSecondRule(new Rule("  \n", Kind.WORD, "violence", 0.5)));
        assertEquals(List.of("rules[1].pattern: must not be blank"),
                problemsOfSecondRule(new Rule(null, Kind.PHRASE, "violence", 0.5)));
    }

    @Test
    void validateRejectsPatternsLongerThan500Characters() {
        assertEquals(List.of(), problemsOfSecondRule(new Rule("a".repeat(500), Kind.WORD, "violence", 0.5)));
        assertEquals(List.of("rules[1].pattern: must be at most 500 characters, got 501"),
                problemsOfSecondRule(new Rule("a".repeat(501), Kind.WORD, "violence", 0.5)));
    }

    @Test
    void validateRejectsWordsMadeOnlyOfInvisibleCharacters() {
        assertEquals(List.of("rules[1].pattern: has no visible characters"),
                problemsOfSecondRule(new Rule("\u200B\u00AD", Kind.WORD, "violence", 0.5)));
    }

    @Test
    void validateRejectsUnknownAndMissingCategories() {
        List<String> unknown = problemsOfSecondRule(new Rule("kill", Kind.WORD, "rudeness", 0.5));
        assertEquals(1, unknown.size());
        assertTrue(unknown.get(0).startsWith("rules[1].category: must be one of harassment, "), unknown.get(0));
        assertTrue(unknown.get(0).endsWith("got \"rudeness\""), unknown.get(0));

        List<String> missing = problemsOfSecondRule(new Rule("kill", Kind.WORD, null, 0.5));
        assertEquals(1, missing.size());
        assertTrue(missing.get(0).startsWith("rules[1].category: must be one of "), missing.get(0));
    }

    @Test
    void validateRejectsMissingKind() {
        assertEquals(List.of("rules[1].kind: must be one of word, phrase, regex"),
                problemsOfSecondRule(new Rule("kill", null, "violence", 0.5)));
    }

    @ParameterizedTest
    @ValueSource(doubles = {-0.1, 1.0001, Double.NaN, Double.POSITIVE_INFINITY})
    void validateRejectsScoresOutsideZeroToOne(double score) {
        assertEquals(List.of("rules[1].score: must be a number from 0 to 1, got " + score),
                problemsOfSecondRule(new Rule("kill", Kind.WORD, "violence", score)));
    }

    @Test
    void validateExplainsARegexThatDoesNotCompileWithoutJavaInternals() {
        List<String> problems = problemsOfSecondRule(new Rule("(unclosed", Kind.REGEX, "violence", 0.5));

        assertEquals(List.of("rules[1].pattern: not a valid regular expression: Unclosed group at position 9"),
                problems);
        String message = problems.get(0);
        assertFalse(message.contains("java"), message);
        assertFalse(message.contains("Exception"), message);
        assertFalse(message.contains("\n"), message);
    }

    @Test
    void validateTreatsRegexMetacharactersInWordsAsLiteralText() {
        assertEquals(List.of(), problemsOfSecondRule(new Rule("(unclosed", Kind.WORD, "violence", 0.5)));
        assertTrue(matches(new Rule("c++", Kind.WORD, "violence", 0.5), "i hate c++ so much"));
    }

    @Test
    void validateRejectsRegexThatMatchesEveryPost() {
        assertEquals(List.of("rules[1].pattern: matches empty text, so it would match every post"),
                problemsOfSecondRule(new Rule("kill|", Kind.REGEX, "violence", 0.5)));
    }

    @Test
    void validateRejectsMoreThan1000Rules() {
        List<Rule> thousand = Collections.nCopies(1000, KILL);
        assertEquals(List.of(), RuleMatcher.validate(thousand));

        List<Rule> tooMany = new ArrayList<>(thousand);
        tooMany.add(KILL);
        assertEquals(List.of("rules: at most 1000 rules are allowed, got 1001"), RuleMatcher.validate(tooMany));
    }

    @Test
    void validateReportsEveryProblemOfEveryRuleByIndex() {
        List<Rule> rules = new ArrayList<>();
        rules.add(KILL);
        rules.add(null);
        rules.add(new Rule("", Kind.WORD, "violence", 2));
        rules.add(new Rule("[", Kind.REGEX, "hate", 0.5));

        List<String> problems = RuleMatcher.validate(rules);

        assertEquals(4, problems.size(), problems.toString());
        assertEquals("rules[1]: must not be null", problems.get(0));
        assertEquals("rules[2].pattern: must not be blank", problems.get(1));
        assertEquals("rules[2].score: must be a number from 0 to 1, got 2.0", problems.get(2));
        assertTrue(problems.get(3).startsWith("rules[3].pattern: not a valid regular expression: "), problems.get(3));
    }

    @Test
    void validateRejectsAMissingList() {
        assertEquals(List.of("rules: is required"), RuleMatcher.validate(null));
    }

    // --- Wire names --------------------------------------------------------------------------------

    @Test
    void kindsRoundTripThroughTheirWireNames() {
        for (Kind kind : Kind.values()) {
            assertEquals(Optional.of(kind), Kind.fromWire(kind.wire()));
        }
        assertEquals("word", Kind.WORD.wire());
        assertEquals("phrase", Kind.PHRASE.wire());
        assertEquals("regex", Kind.REGEX.wire());
    }

    @Test
    void unknownWireNamesHaveNoKind() {
        assertEquals(Optional.empty(), Kind.fromWire("WORD"));
        assertEquals(Optional.empty(), Kind.fromWire("glob"));
        assertEquals(Optional.empty(), Kind.fromWire(null));
    }
}
