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

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Ranking properties of search on small fixtures: a thread counts by what it is about (title and
 * opening post) as well as by its best passage, so length neither buries nor favours a thread, and
 * titles count in every mode. Each test in a category of its own; the thread that must lose a tie
 * is always created first, since ties fall to the lower id.
 */
@MicronautTest(transactional = false)
class SearchRankingTest extends ApiTest {

    User author;
    String slug;
    long firstJob;

    @BeforeEach
    void setUp() {
        firstJob = jobs.mark();
        author = api.register("ranker");
        slug = api.category("ranking");
    }

    @Test
    void aLongThreadDoesNotCrowdOutAShortOneWithTheSameBestMatch() {
        String passage = "To descale an espresso machine, run a citric acid solution through the boiler and flush"
                + " it twice with clean water.";
        long longThread = api.thread(author, slug, "Our office kitchen", "A thread for everything about the"
                + " office kitchen: the fridge rota, the dishwasher, who buys the milk.").get("id").getLongValue();
        String[] chatter = {"The fridge rota is on the door now.", "Please empty the dishwasher when it beeps.",
                "Milk is bought on Mondays by whoever is first in.", "Someone left fish in the microwave again.",
                "Can we get a second kettle?", "The water filter jug needs a new cartridge.",
                "Who took the big mugs?", "Reminder: label your lunch boxes.", passage,
                "The espresso machine is descaled every month.", "The coffee beans are in the top cupboard."};
        for (String reply : chatter) {
            api.reply(author, longThread, reply);
        }
        long shortThread = api.thread(author, slug, "Descaling an espresso machine", passage).get("id").getLongValue();
        api.thread(author, slug, "Bicycle chains", "How often should a bicycle chain be cleaned and oiled?");
        awaitIndexed();

        // The long thread holds the passage word for word; the short one is about it.
        for (String mode : new String[]{"semantic", "keyword", "hybrid"}) {
            List<Long> ranked = threadIds(search(passage, mode));
            assertEquals(shortThread, ranked.get(0), mode + ": the thread about it first, in " + ranked);
            assertTrue(ranked.size() >= 2 && ranked.get(1) == longThread,
                    mode + ": the long thread is not buried either, in " + ranked);
        }
    }

    @Test
    void aTitleCountsInKeywordSearch() {
        long bodyOnly = thread("Weekend plans", "We might visit the zeppelin museum in Friedrichshafen.");
        long titled = thread("Zeppelin museum", "We might visit the museum in Friedrichshafen.");
        awaitIndexed();
        assertEquals(List.of(titled, bodyOnly), threadIds(search("zeppelin museum", "keyword")));
    }

    @Test
    void aTitleCountsInSemanticSearchForEveryPostOfItsThread() {
        String reply = "Thanks, that worked for me as well.";
        long offTopic = thread("Weekend plans", "Any ideas?");
        api.reply(author, offTopic, reply);
        long onTopic = thread("Repairing a flat bicycle tyre", "Any ideas?");
        api.reply(author, onTopic, reply);
        awaitIndexed();
        assertEquals(onTopic, threadIds(search("how to fix a punctured bike tire", "semantic")).get(0));
        assertEquals(onTopic, threadIds(search("how to fix a punctured bike tire", "hybrid")).get(0));
    }

    @Test
    void keywordSearchFindsThreadsSharingMostTermsAndRanksAllTermsFirst() {
        long one = thread("Garden tools", "A rusty spade is still useful.");
        long two = thread("Shed", "The rusty spade hangs next to the rake.");
        long all = thread("Cleaning", "How do I clean a rusty spade with vinegar?");
        thread("Cooking", "Vinegar makes a good salad dressing.");
        awaitIndexed();
        List<Long> ranked = threadIds(search("clean rusty spade", "keyword"));
        assertEquals(all, ranked.get(0), "every term first: " + ranked);
        assertTrue(ranked.containsAll(List.of(one, two)), "two of three terms still match: " + ranked);
        assertEquals(List.of(two), threadIds(search("rusty spade -garden -vinegar rake", "keyword")),
                "an excluded word keeps working");
        long cooking = threadIds(search("salad dressing", "keyword")).get(0);
        assertEquals(java.util.Set.of(two, cooking),
                java.util.Set.copyOf(threadIds(search("\"spade hangs\" or \"salad dressing\"", "keyword"))),
                "phrases and or keep working");
        assertEquals(List.of(), threadIds(search("\"hangs spade\"", "keyword")), "a phrase matches in its order only");
    }

    private long thread(String title, String body) {
        return api.thread(author, slug, title, body).get("id").getLongValue();
    }

    private List<JsonNode> search(String q, String mode) {
        List<JsonNode> results = new ArrayList<>();
        api.get("/api/search?q=" + URLEncoder.encode(q, StandardCharsets.UTF_8) + "&mode=" + mode + "&category=" + slug,
                null).expect(200).json().get("results").values().forEach(results::add);
        return results;
    }

    private static List<Long> threadIds(List<JsonNode> results) {
        return results.stream().map(r -> r.get("thread").get("id").getLongValue()).toList();
    }

    private void awaitIndexed() {
        jobs.since(firstJob, "moderate", "embed").awaitFinished();
    }
}
