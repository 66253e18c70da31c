package dev.parley.moderation.rules;

import dev.parley.moderation.HarmCategories;
import dev.parley.moderation.HarmScores;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scores texts against a fixed list of admin rules. Each rule is compiled once, when the matcher is
 * built; an instance is immutable and safe to share between worker threads.
 */
public final class RuleMatcher {

    /** Generous for any sane expression on a long post; small enough that a hostile one costs little. */
    static final Duration DEFAULT_REGEX_BUDGET = Duration.ofMillis(50);
    static final int MAX_RULES = 1000;
    static final int MAX_PATTERN_LENGTH = 500;

    private static final Logger LOG = LoggerFactory.getLogger(RuleMatcher.class);
    // Letters and digits of any script: a watched word must not fire inside a longer word ("skill").
    private static final String NO_WORD_CHAR_BEFORE = "(?<![\\p{L}\\p{N}])";
    private static final String NO_WORD_CHAR_AFTER = "(?![\\p{L}\\p{N}])";
    private static final int REGEX_FLAGS = Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE;

    private final List<CompiledRule> rules;
    private final long regexBudgetNanos;
    private final LongSupplier nanoTime;

    /** What a text scored, and which rules produced the score. */
    public record Result(HarmScores scores, List<Rule> matched) {

        public Result {
            matched = List.copyOf(matched);
        }
    }

    private record CompiledRule(Rule rule, Pattern pattern) {
    }

    /** What checking one rule found: its problems, and its pattern if the pattern itself is usable. */
    private record Checked(List<String> problems, Pattern pattern) {
    }

    private RuleMatcher(List<CompiledRule> rules, Duration regexBudget, LongSupplier nanoTime) {
        this.rules = List.copyOf(rules);
        this.regexBudgetNanos = regexBudget.toNanos();
        this.nanoTime = nanoTime;
    }

    /** A matcher for {@code rules}, giving each regular expression 50 ms per text. */
    public static RuleMatcher compile(List<Rule> rules) {
        return compile(rules, DEFAULT_REGEX_BUDGET);
    }

    /**
     * A matcher for {@code rules}, giving each regular expression {@code regexBudget} per text. Rules
     * that {@link #validate} would reject are skipped with a warning rather than failing the build:
     * stored rules were validated when saved, and one bad rule should not stop moderation.
     */
    public static RuleMatcher compile(List<Rule> rules, Duration regexBudget) {
        return compile(rules, regexBudget, System::nanoTime);
    }

    /** As {@link #compile(List, Duration)}, with the clock injected so tests can expire budgets. */
    static RuleMatcher compile(List<Rule> rules, Duration regexBudget, LongSupplier nanoTime) {
        List<CompiledRule> compiled = new ArrayList<>(rules.size());
        for (Rule rule : rules) {
            if (rule == null) {
                LOG.warn("Skipping a null moderation rule");
                continue;
            }
            Checked checked = check(rule);
            if (checked.problems().isEmpty()) {
                compiled.add(new CompiledRule(rule, checked.pattern()));
            } else {
                LOG.warn("Skipping invalid moderation rule {}: {}", rule.pattern(), checked.problems());
            }
        }
        return new RuleMatcher(compiled, regexBudget, nanoTime);
    }

    /**
     * Scores {@code text}: per harm category, the highest score among the rules that match it.
     * Categories no rule matched are absent. A regular expression that runs out of its time budget
     * counts as not matched.
     */
    public Result match(String text) {
        String normalized = TextNormalizer.normalize(Objects.requireNonNull(text, "text"));
        Map<String, Double> scores = new LinkedHashMap<>();
        List<Rule> matched = new ArrayList<>();
        for (CompiledRule compiled : rules) {
            if (matches(compiled, normalized)) {
                Rule rule = compiled.rule();
                matched.add(rule);
                scores.merge(rule.category(), rule.score(), Math::max);
            }
        }
        return new Result(new HarmScores(scores), matched);
    }

    private boolean matches(CompiledRule compiled, String text) {
        if (compiled.rule().kind() != Rule.Kind.REGEX) {
            // Quoted literals between fixed-width look-arounds: linear, no budget needed.
            return compiled.pattern().matcher(text).find();
        }
        CharSequence bounded = new DeadlineCharSequence(text, nanoTime, nanoTime.getAsLong() + regexBudgetNanos);
        try {
            return compiled.pattern().matcher(bounded).find();
        } catch (RegexTimeout e) {
            // The pattern only: the user's text stays out of the logs.
            LOG.warn("Moderation rule regex ran past its {} ms budget and was treated as not matched: {}",
                    Duration.ofNanos(regexBudgetNanos).toMillis(), compiled.rule().pattern());
            return false;
        } catch (StackOverflowError e) {
            // java.util.regex recurses per repetition of some groups, so a long post can overflow.
            LOG.warn("Moderation rule regex overflowed the stack and was treated as not matched: {}",
                    compiled.rule().pattern());
            return false;
        }
    }

    /**
     * The problems of a submitted rule list, one human-readable message each, naming the field as
     * {@code rules[3].pattern}; empty if the list is acceptable.
     */
    public static List<String> validate(List<Rule> rules) {
        if (rules == null) {
            return List.of("rules: is required");
        }
        if (rules.size() > MAX_RULES) {
            // Checked first so that an oversized list is not compiled just to be refused.
            return List.of("rules: at most " + MAX_RULES + " rules are allowed, got " + rules.size());
        }
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < rules.size(); i++) {
            String prefix = "rules[" + i + "]";
            Rule rule = rules.get(i);
            if (rule == null) {
                problems.add(prefix + ": must not be null");
                continue;
            }
            for (String problem : check(rule).problems()) {
                problems.add(prefix + "." + problem);
            }
        }
        return problems;
    }

    private static Checked check(Rule rule) {
        List<String> problems = new ArrayList<>();
        String pattern = rule.pattern();
        boolean patternPresent = false;
        if (pattern == null || pattern.isBlank()) {
            problems.add("pattern: must not be blank");
        } else if (pattern.length() > MAX_PATTERN_LENGTH) {
            problems.add("pattern: must be at most " + MAX_PATTERN_LENGTH + " characters, got " + pattern.length());
        } else {
            patternPresent = true;
        }
        if (rule.kind() == null) {
            problems.add("kind: must be one of word, phrase, regex");
        }
        if (rule.category() == null || !HarmCategories.isKnown(rule.category())) {
            problems.add("category: must be one of " + String.join(", ", HarmCategories.ALL)
                    + (rule.category() == null ? "" : ", got \"" + rule.category() + "\""));
        }
        // Written so that NaN, which fails every comparison, is refused too.
        if (!(rule.score() >= 0.0 && rule.score() <= 1.0)) {
            problems.add("score: must be a number from 0 to 1, got " + rule.score());
        }
        Pattern compiled = null;
        if (patternPresent && rule.kind() != null) {
            compiled = rule.kind() == Rule.Kind.REGEX ? compileRegex(pattern, problems) : compileLiteral(pattern, problems);
        }
        return new Checked(problems, compiled);
    }

    private static Pattern compileLiteral(String pattern, List<String> problems) {
        String normalized = TextNormalizer.normalize(pattern);
        if (normalized.isEmpty()) {
            // An empty literal between boundaries would match between any two spaces: every post.
            problems.add("pattern: has no visible characters");
            return null;
        }
        // Normalised text has single spaces, so for words and phrases alike \s+ between the parts is
        // the same as a literal space; it only keeps phrases robust should normalisation change.
        List<String> parts = new ArrayList<>();
        for (String part : normalized.split(" ")) {
            parts.add(Pattern.quote(part));
        }
        return Pattern.compile(NO_WORD_CHAR_BEFORE + String.join("\\s+", parts) + NO_WORD_CHAR_AFTER);
    }

    private static Pattern compileRegex(String pattern, List<String> problems) {
        Pattern compiled;
        try {
            compiled = Pattern.compile(pattern, REGEX_FLAGS);
        } catch (PatternSyntaxException e) {
            // The description alone: getMessage() repeats the pattern with a caret, over several lines.
            problems.add("pattern: not a valid regular expression: " + e.getDescription()
                    + (e.getIndex() >= 0 ? " at position " + e.getIndex() : ""));
            return null;
        }
        if (compiled.matcher("").find()) {
            // "kill|" or "a*" would match somewhere in every post and flag the whole forum.
            problems.add("pattern: matches empty text, so it would match every post");
            return null;
        }
        return compiled;
    }

    /**
     * The text as the regex engine sees it, throwing once the deadline has passed. Every step of
     * backtracking reads a character, so even a runaway expression notices the deadline promptly.
     */
    private static final class DeadlineCharSequence implements CharSequence {

        // Reading the clock on every character would cost more than most expressions themselves.
        private static final int CHECK_EVERY = 256;

        private final CharSequence text;
        private final LongSupplier nanoTime;
        private final long deadline;
        private int untilCheck;

        DeadlineCharSequence(CharSequence text, LongSupplier nanoTime, long deadline) {
            this.text = text;
            this.nanoTime = nanoTime;
            this.deadline = deadline;
        }

        @Override
        public char charAt(int index) {
            if (--untilCheck <= 0) {
                untilCheck = CHECK_EVERY;
                // Subtraction, not comparison, so that a nanoTime wrap-around cannot break it.
                if (nanoTime.getAsLong() - deadline > 0) {
                    throw RegexTimeout.INSTANCE;
                }
            }
            return text.charAt(index);
        }

        @Override
        public int length() {
            return text.length();
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return new DeadlineCharSequence(text.subSequence(start, end), nanoTime, deadline);
        }

        @Override
        public String toString() {
            return text.toString();
        }
    }

    /** Thrown through the regex engine to abandon a match; carries no stack, so one instance serves. */
    private static final class RegexTimeout extends RuntimeException {

        static final RegexTimeout INSTANCE = new RegexTimeout();

        private RegexTimeout() {
            super("regex time budget exhausted", null, false, false);
        }
    }
}
