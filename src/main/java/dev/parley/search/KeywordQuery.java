package dev.parley.search;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A keyword query in web-search syntax split into its terms, so that a thread can match some of them
 * and rank by how many: {@code websearch_to_tsquery} alone requires every term, which finds almost
 * nothing for a question asked in a sentence. Each term is a word or a "quoted phrase"; {@code -word}
 * and {@code -"phrase"} exclude; {@code or} between terms is what matching does anyway. Leading dashes
 * count as {@code websearch_to_tsquery} counts them, each one negating: {@code --no-clobber}, an option
 * pasted from a terminal, is a term (the manual-page benchmark's option queries found nothing when it
 * was read as excluding {@code -no-clobber}), and its dashes are dropped, as the tsvector drops them. Each term is
 * handed to {@code websearch_to_tsquery} on its own (as a bound parameter), so PostgreSQL still does
 * the stemming, stop words and phrase matching. Pure and thread-safe.
 *
 * @param terms    words and quoted phrases a match may contain (a phrase keeps its quotes)
 * @param excluded words and phrases a match must not contain
 */
record KeywordQuery(List<String> terms, List<String> excluded) {

    /**
     * Leading dashes, then a quoted phrase (the closing quote may be missing, as websearch allows) or a
     * run of non-space that does not start with a dash; a dash with no word after it is no term.
     */
    private static final Pattern TOKEN = Pattern.compile("(-*)(\"[^\"]*\"?|[^\\s\"-][^\\s\"]*)");

    static KeywordQuery parse(String query) {
        List<String> terms = new ArrayList<>();
        List<String> excluded = new ArrayList<>();
        Matcher m = TOKEN.matcher(query);
        while (m.find()) {
            String term = m.group(2);
            if (term.startsWith("\"") && (term.length() < 2 || !term.endsWith("\""))) {
                term = term + "\"";
            }
            if (term.equals("\"\"") || term.toLowerCase(Locale.ROOT).equals("or")) {
                continue;
            }
            // "a-b" stays one term; an odd number of leading dashes excludes, as in websearch_to_tsquery.
            (m.group(1).length() % 2 == 0 ? terms : excluded).add(term);
        }
        return new KeywordQuery(List.copyOf(terms), List.copyOf(excluded));
    }
}
