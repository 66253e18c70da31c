package dev.parley.moderation.rules;

import java.util.Optional;

/**
 * One admin-managed watched pattern: a post whose text matches {@code pattern} scores {@code score}
 * in the harm {@code category}.
 *
 * <p>The record accepts any values, because {@link RuleMatcher#validate} has to see a whole submitted
 * list to report every problem in one 422 response.
 *
 * <p>Regular expressions run against the normalised text (see {@link TextNormalizer}): lowercase,
 * without accents or invisible characters, with every whitespace run turned into one space. Write them
 * for that text, e.g. {@code \s} rather than {@code \n}, and {@code e} rather than {@code é}.
 */
public record Rule(String pattern, Kind kind, String category, double score) {

    /** How a rule's pattern is read. */
    public enum Kind {
        /** A term matched as a whole word, so "ass" does not fire inside "class". */
        WORD("word"),
        /** Several words in order, separated by any amount of whitespace. */
        PHRASE("phrase"),
        /** A Java regular expression, matched case-insensitively anywhere in the text. */
        REGEX("regex");

        private final String wire;

        Kind(String wire) {
            this.wire = wire;
        }

        /** The name of this kind in the API's JSON. */
        public String wire() {
            return wire;
        }

        /** The kind with the given API name; empty for anything else, including null. */
        public static Optional<Kind> fromWire(String wire) {
            for (Kind kind : values()) {
                if (kind.wire.equals(wire)) {
                    return Optional.of(kind);
                }
            }
            return Optional.empty();
        }
    }
}
