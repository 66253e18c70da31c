package dev.parley.search;

import dev.parley.forum.ForumPosts;
import dev.parley.forum.PostSnapshot;
import jakarta.inject.Provider;
import jakarta.inject.Singleton;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The highlight of each result: the passage that matched, with every word of the query it contains
 * marked as a range. A result found by meaning shows the chunk that was nearest (the whole chunk, as
 * embedded: it is what matched, even when it shares no word with the query); one found by keyword shows
 * the passage ts_headline picks from the post. Words are matched as keyword search matches them
 * (English stemming), any of the query's words, not only all of them together.
 */
@Singleton
class Highlighter {

    /** The marks ts_headline puts around matching words; removed from the texts before. */
    static final char START = '\u0001';
    static final char STOP = '\u0002';
    private static final Pattern TERM_SEPARATORS = Pattern.compile("[\\s\"]+");

    /** Looked up when first used: the forum's post lifecycle calls search (SearchGateway), a cycle at creation. */
    private final Provider<ForumPosts> posts;
    private final HeadlineRepository headlines;

    Highlighter(Provider<ForumPosts> posts, HeadlineRepository headlines) {
        this.posts = posts;
        this.headlines = headlines;
    }

    /**
     * One highlight per hit, in order. {@code model} is the model whose chunks semantic hits came from,
     * or null for a keyword search (no hit is a chunk). A hit whose post is gone since it was found gets
     * its snippet, unmarked. Run inside a read transaction.
     */
    List<Highlight> of(String query, EmbeddingModel model, List<Hit> hits) {
        if (hits.isEmpty()) {
            return List.of();
        }
        Map<Long, PostSnapshot> byId = new HashMap<>();
        posts.get().find(hits.stream().map(Hit::postId).distinct().toList()).forEach(post -> byId.put(post.id(), post));
        String[] texts = new String[hits.size()];
        Boolean[] whole = new Boolean[hits.size()];
        for (int i = 0; i < hits.size(); i++) {
            Hit hit = hits.get(i);
            PostSnapshot post = byId.get(hit.postId());
            String chunk = post == null || model == null ? null : chunkOf(post, model, hit.snippet());
            whole[i] = post == null || chunk != null;
            texts[i] = withoutMarks(post == null ? hit.snippet() : chunk != null ? chunk : post.body());
        }
        List<Highlight> highlights = new ArrayList<>(hits.size());
        headlines.mark(anyTerm(query), texts, whole).forEach(marked -> highlights.add(parse(marked.text())));
        return highlights;
    }

    /**
     * The chunk of the post whose stored snippet is the hit's: the chunk that was found. Null when none
     * is (the hit came from keyword search, in a hybrid search).
     */
    private static String chunkOf(PostSnapshot post, EmbeddingModel model, String snippet) {
        for (String chunk : Chunker.chunks(post.text(), model)) {
            if (SearchIndexer.snippet(chunk).equals(snippet)) {
                return chunk;
            }
        }
        return null;
    }

    /**
     * The query as a websearch query matching any of its words: quotes dropped, excluded words
     * ({@code -word}) left out, so a highlight marks each word found, and never one the query excluded.
     */
    static String anyTerm(String query) {
        List<String> terms = new ArrayList<>();
        for (String term : TERM_SEPARATORS.split(query)) {
            if (!term.isEmpty() && !term.startsWith("-") && !term.toLowerCase(Locale.ROOT).equals("or")) {
                terms.add(term);
            }
        }
        return String.join(" or ", terms);
    }

    private static String withoutMarks(String text) {
        return text.replace(START, ' ').replace(STOP, ' ');
    }

    /** A marked text as plain text and the ranges of its marked words, in UTF-16 code units. */
    static Highlight parse(String marked) {
        StringBuilder text = new StringBuilder(marked.length());
        List<Highlight.Range> ranges = new ArrayList<>();
        int start = -1;
        for (int i = 0; i < marked.length(); i++) {
            char c = marked.charAt(i);
            if (c == START) {
                start = text.length();
            } else if (c == STOP) {
                if (start >= 0 && text.length() > start) {
                    ranges.add(new Highlight.Range(start, text.length()));
                }
                start = -1;
            } else {
                text.append(c);
            }
        }
        return new Highlight(text.toString(), List.copyOf(ranges));
    }
}
