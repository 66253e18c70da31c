package dev.parley.forum;

import dev.parley.support.Api;
import dev.parley.support.ApiTest;
import io.micronaut.json.tree.JsonNode;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static dev.parley.support.Api.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@MicronautTest(transactional = false)
class CategoryApiTest extends ApiTest {

    @Test
    void anAdminCreatesACategoryThatAnyoneCanList() {
        String slug = Api.unique("general");
        var created = api.post("/api/categories", api.adminToken(),
                Map.of("slug", slug, "name", "General", "description", "Anything goes")).expect(201);
        assertEquals(slug, created.text("slug"));
        assertEquals("Anything goes", created.text("description"));

        boolean listed = false;
        for (JsonNode category : api.get("/api/categories", null).expect(200).json().values()) {
            listed |= slug.equals(category.get("slug").getStringValue());
        }
        assertTrue(listed);
    }

    @Test
    void onlyAdminsCreateCategories() {
        var body = Map.of("slug", Api.unique("nope"), "name", "Nope");
        api.post("/api/categories", null, body).expectProblem(401);
        api.post("/api/categories", api.register("member").token(), body).expectProblem(403);
        api.post("/api/categories", api.withRole("mod", "moderator").token(), body).expectProblem(403);
    }

    @Test
    void aDuplicateSlugIsAConflict() {
        String slug = api.category("dup");
        api.post("/api/categories", api.adminToken(), Map.of("slug", slug, "name", "Again")).expectProblem(409);
    }

    @Test
    void slugsAndNamesAreValidated() {
        api.post("/api/categories", api.adminToken(), map("slug", "Not A Slug!", "name", ""))
                .expectInvalid("slug").expectInvalid("name");
    }

    @Test
    void threadsOfAnUnknownCategoryAreNotFound() {
        api.get("/api/categories/no-such-category/threads", null).expectProblem(404);
    }
}
