package dev.parley.moderation.rules;

import java.text.Normalizer;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Brings a text into the one canonical form that rules are matched against, so that look-alike
 * spellings of a watched word cannot slip past it. Patterns and post texts both go through here.
 */
final class TextNormalizer {

    private static final Pattern COMBINING_MARKS = Pattern.compile("\\p{M}+");
    // (?U): Java's plain \s knows only ASCII whitespace; Unicode has more (line separator, ogham space).
    private static final Pattern WHITESPACE_RUN = Pattern.compile("(?U)\\s+");

    private TextNormalizer() {
    }

    /** The canonical form of {@code text}: see the steps below for what each one defeats. */
    static String normalize(String text) {
        // Compatibility forms to their plain letters: full-width "ｋｉｌｌ", ligatures "ﬁ", circled and
        // superscript letters, non-breaking and ideographic spaces all become ordinary characters.
        String s = Normalizer.normalize(text, Normalizer.Form.NFKC);
        // Invisible characters split a word for the regex engine but not for the reader: "k\u200Bill".
        s = removeInvisible(s);
        // Decompose "í" into "i" plus a combining accent, then drop the accents, so "kíll" is "kill".
        // This also folds marks of scripts that need them (e.g. Devanagari vowel signs); patterns are
        // folded the same way, so matching stays consistent, only slightly looser.
        s = Normalizer.normalize(s, Normalizer.Form.NFD);
        s = COMBINING_MARKS.matcher(s).replaceAll("");
        // ROOT, not the server's locale: in a Turkish locale "KILL" would lowercase to "kıll".
        s = s.toLowerCase(Locale.ROOT);
        // Phrases must survive line breaks and padding: "free\n\n  money" reads as "free money".
        return WHITESPACE_RUN.matcher(s).replaceAll(" ").strip();
    }

    private static String removeInvisible(String s) {
        StringBuilder out = new StringBuilder(s.length());
        s.codePoints().filter(cp -> !isInvisible(cp)).forEach(out::appendCodePoint);
        return out.toString();
    }

    private static boolean isInvisible(int cp) {
        // Listed by hand as well as by type: their Unicode category has changed between versions
        // (U+200B and U+180E were once spaces), and the JDK's tables follow the Unicode version.
        return (cp >= 0x200B && cp <= 0x200F) // zero-width space, non-joiner, joiner, direction marks
                || (cp >= 0x2060 && cp <= 0x2064) // word joiner, invisible operators
                || cp == 0xFEFF // zero-width no-break space (byte order mark)
                || cp == 0x00AD // soft hyphen
                || cp == 0x180E // Mongolian vowel separator
                || Character.getType(cp) == Character.FORMAT;
    }
}
