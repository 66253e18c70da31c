package dev.parley.search;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Splits a post into overlapping windows of words that fit an embedding model's input, so that the end of
 * a long post is embedded as well as its beginning (a model silently drops, or blurs, what its window
 * cannot hold).
 *
 * <p>A word is a run of non-whitespace, with two exceptions for text that has no spaces to split on: each
 * Chinese or Japanese character counts as a word (each is about one token), and a run longer than
 * {@value #MAX_WORD_CHARS} characters (a URL, a hash, a base64 blob) counts as one word per
 * {@value #MAX_WORD_CHARS} characters. Chunks are slices of the original text, whitespace and all, so equal
 * texts give equal chunks (the stored digests rely on it). Pure and thread-safe.
 */
public final class Chunker {

    /** Longest run of characters counted as one word. */
    static final int MAX_WORD_CHARS = 16;
    /** Share of the window, at its end, searched for a sentence end to cut at. */
    static final double SENTENCE_SEARCH_SHARE = 0.2;
    /** Share of the window repeated at the start of the next chunk by {@link #chunks(String, EmbeddingModel)}. */
    static final double OVERLAP_SHARE = 0.2;

    private static final String NO_SPACES = "\\p{IsHan}\\p{IsHiragana}\\p{IsKatakana}";
    private static final Pattern WORD = Pattern.compile(
            "[" + NO_SPACES + "]|[^\\s" + NO_SPACES + "]{1," + MAX_WORD_CHARS + "}",
            Pattern.UNICODE_CHARACTER_CLASS);
    /** A word that ends a sentence: final punctuation, perhaps inside closing quotes or brackets. */
    private static final Pattern SENTENCE_END = Pattern.compile("[.!?…。！？][\"'’”»)\\]]*$");

    private Chunker() {
    }

    /**
     * The chunks to embed for {@code text} with {@code model}: windows of {@link EmbeddingModel#maxWordsPerInput()}
     * words overlapping by a fifth of that.
     */
    public static List<String> chunks(String text, EmbeddingModel model) {
        int maxWords = model.maxWordsPerInput();
        return chunks(text, maxWords, (int) (maxWords * OVERLAP_SHARE));
    }

    /**
     * Splits {@code text} into chunks of at most {@code maxWords} words, each starting {@code overlapWords}
     * words before the previous one ended. A text of at most {@code maxWords} words is one chunk (trimmed);
     * blank text has nothing to embed and gives no chunks. A chunk ends after a sentence when one ends in the
     * last fifth of its window, so that fewer chunks start or stop mid-sentence; the last chunk always ends
     * with the text's last word.
     *
     * @throws IllegalArgumentException unless {@code maxWords >= 1} and {@code 0 <= overlapWords < maxWords}
     */
    public static List<String> chunks(String text, int maxWords, int overlapWords) {
        if (maxWords < 1 || overlapWords < 0 || overlapWords >= maxWords) {
            throw new IllegalArgumentException("need maxWords >= 1 and 0 <= overlapWords < maxWords, got "
                    + maxWords + " and " + overlapWords);
        }
        List<int[]> words = words(text);
        if (words.isEmpty()) {
            return List.of();
        }
        if (words.size() <= maxWords) {
            return List.of(slice(text, words, 0, words.size()));
        }
        int searched = Math.max(1, (int) (maxWords * SENTENCE_SEARCH_SHARE));
        List<String> chunks = new ArrayList<>();
        int start = 0;
        while (true) {
            int end = Math.min(start + maxWords, words.size());
            if (end == words.size()) {
                chunks.add(slice(text, words, start, end));
                return chunks;
            }
            // Cutting earlier must still move the next chunk forward, past this one's start.
            int earliest = Math.max(end - searched, start + overlapWords + 1);
            end = sentenceEndIn(text, words, earliest, end);
            chunks.add(slice(text, words, start, end));
            start = end - overlapWords;
        }
    }

    /** Start and end offsets of each word, in order. */
    private static List<int[]> words(String text) {
        List<int[]> words = new ArrayList<>();
        if (text == null) {
            return words;
        }
        Matcher matcher = WORD.matcher(text);
        while (matcher.find()) {
            words.add(new int[] {matcher.start(), matcher.end()});
        }
        return words;
    }

    /** The latest cut in {@code [earliest, end]} (words before it) that follows a sentence end, else {@code end}. */
    private static int sentenceEndIn(String text, List<int[]> words, int earliest, int end) {
        for (int cut = end; cut >= earliest; cut--) {
            int[] last = words.get(cut - 1);
            if (SENTENCE_END.matcher(text.substring(last[0], last[1])).find()) {
                return cut;
            }
        }
        return end;
    }

    /** The original text from word {@code from} to the end of word {@code to - 1}. */
    private static String slice(String text, List<int[]> words, int from, int to) {
        return text.substring(words.get(from)[0], words.get(to - 1)[1]);
    }
}
