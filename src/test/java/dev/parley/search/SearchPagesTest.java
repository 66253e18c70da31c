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
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Result pages behind cursors, in every mode: paging through a search shows every matching thread
 * exactly once, in the order of one page as big as all of them, including threads whose scores tie
 * (identical posts) across a page boundary.
 */
@MicronautTest(transactional = false)
class SearchPagesTest extends ApiTest {

    private static final String[] MODES = {"semantic", "keyword", "hybrid"};
    private static final String QUERY = "beekeeping hive inspection";

    String slug;
    final Set<Long> threads = new HashSet<>();

    @BeforeEach
    void forum() {
        long firstJob = jobs.mark();
        slug = api.category("pages");
        User author = api.register("pager");
        for (int i = 0; i < 6; i++) {
            threads.add(api.thread(author, slug, "Beekeeping hive inspection question " + i,
                    "The beekeeping hive inspection found little honey, case " + i + ".").get("id").getLongValue());
        }
        // Seven identical threads: equal scores in every mode, ordered by thread id alone.
        for (int i = 0; i < 7; i++) {
            threads.add(api.thread(author, slug, "Beekeeping hive inspection twins",
                    "Twin posts about the beekeeping hive inspection.").get("id").getLongValue());
        }
        jobs.since(firstJob, "moderate", "embed").awaitFinished();
    }

    @Test
    void pagesNeverRepeatOrSkipAThread() {
        for (String mode : MODES) {
            List<Long> all = threadIds(get(mode, 50, null).get("results"));
            assertEquals(threads, new HashSet<>(all), mode + ": one page of 50 holds every thread");
            for (int limit : new int[] {1, 3, 5}) {
                List<Long> paged = new ArrayList<>();
                String cursor = null;
                int pages = 0;
                do {
                    JsonNode page = get(mode, limit, cursor);
                    List<Long> ids = threadIds(page.get("results"));
                    assertTrue(ids.size() <= limit, mode);
                    paged.addAll(ids);
                    cursor = page.get("nextCursor").isNull() ? null : page.get("nextCursor").getStringValue();
                    pages++;
                    assertTrue(pages <= threads.size() + 1, mode + ": the pages never end");
                } while (cursor != null);
                assertEquals(all, paged, mode + " in pages of " + limit + " differs from one page of all");
            }
        }
    }

    @Test
    void theLastPageHasNoCursor() {
        JsonNode page = get("keyword", threads.size(), null);
        assertEquals(threads.size(), page.get("results").size());
        assertTrue(page.get("nextCursor").isNull(), "nothing follows: " + page);
        assertTrue(!page.get("noGoodMatch").getBooleanValue());
    }

    @Test
    void aCursorOnlyWorksForItsOwnSearch() {
        String cursor = get("keyword", 2, null).get("nextCursor").getStringValue();
        api.get(path("keyword", 2, cursor).replace("q=", "q=other+"), null).expectProblem(400);
        api.get(path("semantic", 2, cursor), null).expectProblem(400);
        api.get(path("keyword", 2, cursor) + "&author=someone", null).expectProblem(400);
        api.get(path("keyword", 2, "not-a-cursor"), null).expectProblem(400);
        api.get(path("keyword", 2, cursor), null).expect(200);
    }

    private JsonNode get(String mode, int limit, String cursor) {
        return api.get(path(mode, limit, cursor), null).expect(200).json();
    }

    private String path(String mode, int limit, String cursor) {
        return "/api/search?q=" + URLEncoder.encode(QUERY, StandardCharsets.UTF_8) + "&mode=" + mode + "&category="
                + slug + "&limit=" + limit + (cursor == null ? "" : "&cursor=" + cursor);
    }

    private static List<Long> threadIds(JsonNode results) {
        List<Long> ids = new ArrayList<>();
        results.values().forEach(r -> ids.add(r.get("thread").get("id").getLongValue()));
        return ids;
    }
}
