package dev.parley.contract;

import dev.parley.client.ApiClient;
import dev.parley.client.ApiException;
import dev.parley.client.api.AuthApi;
import dev.parley.client.api.ForumApi;
import dev.parley.client.api.SearchApi;
import dev.parley.client.model.AccountRequestsLogin;
import dev.parley.client.model.AccountRequestsRegister;
import dev.parley.client.model.ForumRequestsNewCategory;
import dev.parley.client.model.ForumRequestsNewThread;
import dev.parley.client.model.ForumRequestsPostBody;
import dev.parley.client.model.ForumRequestsVote;
import dev.parley.client.model.Problem;
import dev.parley.support.Api;
import dev.parley.support.ApiTest;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The README's walk-through through a Java client generated from the OpenAPI document (the build
 * runs openapi-generator's java/native generator on the document it serves, see pom.xml), as a
 * client developer would use it: register, log in, open a thread, reply, vote, read, search, and
 * an error that arrives as the documented problem.
 */
@MicronautTest(transactional = false)
class GeneratedClientTest extends ApiTest {

    private static final Path GENERATED_FROM = Path.of("target/classes/META-INF/swagger/parley.yml");

    @Test
    void theClientWasGeneratedFromTheServedDocument() throws Exception {
        assertEquals(Files.readString(GENERATED_FROM), api.get("/openapi", null).expect(200).body());
    }

    @Test
    void theReadmeWalkThroughRunsOnTheGeneratedClient() throws Exception {
        String alice = Api.unique("alice");
        String bob = Api.unique("bob");
        AuthApi auth = new AuthApi(client(null));
        auth.register(new AccountRequestsRegister().username(alice).email(alice + "@example.com")
                .password("correct horse battery"));
        auth.register(new AccountRequestsRegister().username(bob).email(bob + "@example.com")
                .password("staple battery horse"));
        String aliceToken = auth.login(new AccountRequestsLogin().username(alice).password("correct horse battery"))
                .getAccessToken();
        String bobToken = auth.login(new AccountRequestsLogin().username(bob).password("staple battery horse"))
                .getAccessToken();
        // A category of its own, so that the search below finds this thread among whatever the suite wrote.
        String category = Api.unique("walk");
        new ForumApi(client(api.adminToken())).createCategory(new ForumRequestsNewCategory().slug(category)
                .name("Walk-through").description("The README's walk-through"));

        ForumApi aliceForum = new ForumApi(client(aliceToken));
        var thread = aliceForum.createThread(new ForumRequestsNewThread().category(category).title("Hello Parley")
                .body("What should we talk about?"));
        long threadId = thread.getId();
        long firstPostId = thread.getFirstPost().getId();
        jobs.ofPost("moderate", firstPostId).awaitFinished();

        ForumApi bobForum = new ForumApi(client(bobToken));
        long replyId = bobForum.replyToThread(threadId, new ForumRequestsPostBody().body("Vector search, obviously."))
                .getId();
        assertEquals(1, bobForum.votePost(firstPostId, new ForumRequestsVote().value(1)).getScore());
        jobs.ofPost("moderate", replyId).awaitFinished();

        ForumApi anyone = new ForumApi(client(null));
        assertEquals("Hello Parley", anyone.getThread(threadId).getTitle());
        var posts = anyone.listThreadPosts(threadId, null, null).getItems();
        assertEquals(2, posts.size());
        assertEquals("published", posts.get(1).getStatus());
        assertEquals(1, posts.get(0).getScore());
        assertEquals(threadId, anyone.listCategoryThreads(category, null, null).getItems().get(0).getId());

        jobs.ofPost("embed", firstPostId).awaitFinished();
        var results = new SearchApi(client(null)).search("what should we discuss", null, category, 5, null, null, null, null).getResults();
        assertEquals(threadId, results.get(0).getThread().getId());

        ApiException refused = assertThrows(ApiException.class, () -> aliceForum.createThread(
                new ForumRequestsNewThread().category(category).title("").body("An empty title")));
        assertEquals(422, refused.getCode());
        assertTrue(refused.getResponseHeaders().firstValue("Content-Type").orElse("").startsWith("application/problem+json"));
        Problem problem = client(null).getObjectMapper().readValue(refused.getResponseBody(), Problem.class);
        assertEquals(422, problem.getStatus());
        assertEquals("title", problem.getErrors().get(0).getField());
    }

    /** The generated client's own settings: the server's address, and the bearer token on every request. */
    private ApiClient client(String token) {
        ApiClient client = new ApiClient();
        client.updateBaseUri(server.getURI().toString());
        if (token != null) {
            client.setRequestInterceptor(request -> request.header("Authorization", "Bearer " + token));
        }
        return client;
    }
}
