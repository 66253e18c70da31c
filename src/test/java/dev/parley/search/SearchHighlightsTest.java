package dev.parley.search;

import dev.parley.support.Api.User;
import dev.parley.support.ApiTest;
import io.micronaut.json.tree.JsonNode;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Highlights over HTTP: plain text (no markup, no marker characters) whose ranges, counted in UTF-16
 * code units, cut out exactly the query's words, also after characters outside the Basic Multilingual
 * Plane (where code points and UTF-16 units differ); the semantic passage is the chunk that matched.
 */
@MicronautTest(transactional = false)
class SearchHighlightsTest extends ApiTest {

    User author;
    String slug;
    long firstJob;

    @BeforeEach
    void setUp() {
        firstJob = jobs.mark();
        author = api.register("marker");
        slug = api.category("highlights");
    }

    @Test
    void rangesIndexTheReturnedTextInUtf16UnitsInEveryMode() {
        thread("Café crème 😀 and bicycles", "Naïve question 🎉🎉: my <b>bicycle</b> chain squeaks. "
                + "Straße 😀 bicycle again, and the chain.");
        awaitIndexed();
        for (String mode : new String[]{"keyword", "semantic", "hybrid"}) {
            JsonNode highlight = search("bicycle chain", mode).get(0).get("post").get("highlight");
            String text = highlight.get("text").getStringValue();
            assertTrue(text.contains("🎉🎉"), mode + ": the passage keeps its text: " + text);
            assertFalse(text.contains("\u0001") || text.contains("\u0002"), mode + " leaks a marker: " + text);
            // ts_headline's passages (keyword) leave out what its parser takes for tags; a chunk is verbatim.
            assertTrue(mode.equals("keyword") || text.contains("<b>bicycle</b>"), mode + ": the post's own text: " + text);
            List<String> marked = marked(highlight);
            assertTrue(marked.size() >= 3, mode + ": " + marked);
            for (String word : marked) {
                String lower = word.toLowerCase(Locale.ROOT);
                assertTrue(lower.matches("bicycles?|chain"), mode + " marks " + word + " in " + text);
            }
        }
    }

    @Test
    void aSemanticHighlightIsTheChunkThatMatched() {
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < 120; i++) {
            body.append("The morning train was late again because of signal maintenance near the river bridge. ");
        }
        body.append("Finally, about cooking. The secret ingredient of my grandmother's goulash is smoked paprika. "
                + "She fries it slowly with onions and caraway, adds the beef, and lets the stew simmer for three "
                + "hours. Every family recipe for goulash differs, but the paprika makes hers special.");
        thread("Commuting diary", body.toString());
        awaitIndexed();
        JsonNode post = search("which spice makes grandma's beef stew special", "semantic").get(0).get("post");
        String text = post.get("highlight").get("text").getStringValue();
        assertTrue(text.contains("smoked paprika"), "the last chunk, where the stew is: " + text);
        assertTrue(text.length() > post.get("snippet").getStringValue().length(), "the whole chunk, not its snippet");
        List<String> words = marked(post.get("highlight")).stream().map(w -> w.toLowerCase(Locale.ROOT)).toList();
        assertTrue(words.containsAll(List.of("beef", "stew", "special")), "the query's words in the chunk: " + words);
        assertTrue(List.of("beef", "stew", "special", "makes").containsAll(words), "only the query's words: " + words);
    }

    @Test
    void aParaphraseHasItsPassageWithNothingMarked() {
        thread("Learning to swim as an adult", "I never learned to swim as a child. How do I get over my fear of deep water?");
        awaitIndexed();
        JsonNode highlight = search("overcoming being scared in the pool", "semantic").get(0).get("post").get("highlight");
        assertTrue(highlight.get("text").getStringValue().contains("fear of deep water"));
        assertEquals(0, highlight.get("ranges").size(), "no word of the query is in the post");
    }

    /** The substrings the ranges cut out of the text, checking that they are in order and inside it. */
    private static List<String> marked(JsonNode highlight) {
        String text = highlight.get("text").getStringValue();
        List<String> words = new ArrayList<>();
        int previousEnd = 0;
        for (JsonNode range : highlight.get("ranges").values()) {
            int start = range.get("start").getIntValue();
            int end = range.get("end").getIntValue();
            assertTrue(previousEnd <= start && start < end && end <= text.length(), "range " + range + " in " + text);
            words.add(text.substring(start, end));
            previousEnd = end;
        }
        return words;
    }

    private void thread(String title, String body) {
        api.thread(author, slug, title, body);
    }

    private List<JsonNode> search(String q, String mode) {
        List<JsonNode> results = new ArrayList<>();
        api.get("/api/search?q=" + URLEncoder.encode(q, StandardCharsets.UTF_8) + "&mode=" + mode + "&category="
                + slug, null).expect(200).json().get("results").values().forEach(results::add);
        assertFalse(results.isEmpty(), mode + " finds nothing for " + q);
        return results;
    }

    private void awaitIndexed() {
        jobs.since(firstJob, "moderate", "embed").awaitFinished();
    }
}
