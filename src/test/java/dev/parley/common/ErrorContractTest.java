package dev.parley.common;

import dev.parley.support.ApiTest;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Every error the framework itself produces is problem+json too, and leaks nothing. */
@MicronautTest(transactional = false)
class ErrorContractTest extends ApiTest {

    @Test
    void aBodyOverTheLimitIs413AndNothingIsWritten() {
        var user = api.register("big");
        long threadId = api.thread(user, api.category("big"), "Big bodies", "small").get("id").getLongValue();
        String huge = "{\"body\": \"" + "a".repeat(70 * 1024) + "\"}";
        api.post("/api/threads/" + threadId + "/posts", user.token(), huge).expectProblem(413);
        assertEquals(1, db.count("SELECT count(*) FROM posts WHERE thread_id = ?", threadId));
    }

    @Test
    void unknownRoutesAreNotFound() {
        api.get("/api/nothing-here", null).expectProblem(404);
    }

    @Test
    void aWrongMethodIsNotAllowed() {
        api.send("PUT", "/api/categories", api.adminToken(), Map.of()).expectProblem(405);
    }

    @Test
    void wrongMediaTypesAndBrokenEncodingsAreClientErrors() {
        var user = api.register("enc");
        api.sendRaw("POST", "/api/threads", user.token(), "category=x".getBytes(StandardCharsets.UTF_8),
                "application/x-www-form-urlencoded").expectProblem(415);
        byte[] invalidUtf8 = {'{', '"', 'b', 'o', 'd', 'y', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'};
        int status = api.sendRaw("POST", "/api/threads", user.token(), invalidUtf8, "application/json").status();
        assertEquals(4, status / 100, "invalid UTF-8 must be a client error, got " + status);
    }

    @Test
    void deeplyNestedJsonIsRefusedCleanly() {
        var user = api.register("deep");
        String deep = "[".repeat(5000) + "]".repeat(5000);
        api.post("/api/threads", user.token(), deep).expectProblem(400);
    }
}
