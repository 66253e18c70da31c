package dev.parley.abuse;

import dev.parley.pipeline.WorkerPool;
import dev.parley.pipeline.WorkerPools;
import dev.parley.support.Api;
import dev.parley.support.SettableClock;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The limits on registrations (per client address), searches that run a model inference (per
 * address when anonymous, per member when signed in) and reports (per member), over HTTP against
 * two instances on one database that share the counters. 127.0.0.1 is a trusted proxy, so each
 * request's {@code X-Forwarded-For} names its client; both instances run a settable clock, so the
 * windows pass without waiting. Job workers are off and driven by hand where a post must be published.
 * <p>
 * Limits: 3 registrations per address per hour, 4 anonymous and 6 member searches per minute, 3
 * reports per member per hour. The helpers register every user from an address of its own, so no
 * test spends another's registration budget.
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RegistrationSearchReportLimitTest extends TwoInstanceLimitTest {

    private static final Map<String, String> PROPERTIES = Map.ofEntries(
            Map.entry("parley.test.settable-clock", "true"),
            Map.entry("parley.pipeline.workers-enabled", "false"),
            Map.entry("parley.limits.rate.trusted-proxies", "127.0.0.1,::1"),
            Map.entry("parley.limits.rate.registration-address.limit", "3"),
            Map.entry("parley.limits.rate.registration-address.window", "1h"),
            Map.entry("parley.limits.rate.search-address.limit", "4"),
            Map.entry("parley.limits.rate.search-address.window", "1m"),
            Map.entry("parley.limits.rate.search-member.limit", "6"),
            Map.entry("parley.limits.rate.search-member.window", "1m"),
            Map.entry("parley.limits.rate.reports.limit", "3"),
            Map.entry("parley.limits.rate.reports.window", "1h"));
    private static final AtomicInteger ADDRESSES = new AtomicInteger();

    @Inject
    SettableClock clock;
    @Inject
    WorkerPools pools;

    SettableClock otherClock;
    EmbeddedServer a;
    EmbeddedServer b;

    /** A member as the tests use one: id, token, and the address they registered from. */
    record Member(long id, String username, String token) {
    }

    @Override
    Map<String, String> settings() {
        return PROPERTIES;
    }

    @BeforeAll
    void findTheOtherClock() {
        otherClock = other.bean(SettableClock.class);
    }

    @BeforeEach
    void prepare() {
        a = server;
        b = other.server();
        otherClock.set(clock.instant());
    }

    // --- registrations ---

    @Test
    void registrationsFromOneAddressAreRefusedPastTheLimitWhileAnotherAddressRegisters() {
        String bots = ipv4();
        register(a, bots, Api.unique("bot")).expect(201);
        register(b, bots, Api.unique("bot")).expect(201);
        register(a, bots, Api.unique("bot")).expect(201);

        for (EmbeddedServer instance : List.of(a, b)) {
            String refusedName = Api.unique("refused");
            var refused = register(instance, bots, refusedName).expectProblem(429);
            long retryAfter = retryAfter(refused);
            // 3 per hour: one registration frees up 20 minutes after the one before it.
            assertTrue(retryAfter >= 1 && retryAfter <= 1200, "Retry-After " + retryAfter);
            assertTrue(refused.text("detail").contains("Too many registrations"), refused.body());
            assertEquals(0, db.count("SELECT count(*) FROM users WHERE username = ?", refusedName),
                    "a refused registration writes no user");
        }
        register(b, ipv4(), Api.unique("human")).expect(201);
        register(a, ipv4(), Api.unique("human")).expect(201);
    }

    @Test
    void attemptsRefusedAsTakenCountTooAndAnExhaustedAddressLearnsNothingMore() {
        String prober = ipv4();
        String taken = Api.unique("taken");
        register(a, prober, taken).expect(201);
        register(b, prober, taken).expectProblem(409);
        register(a, prober, taken).expectProblem(409);
        // The budget is spent: a taken name and a free one get the same answer now.
        register(b, prober, taken).expectProblem(429);
        register(a, prober, Api.unique("free")).expectProblem(429);
    }

    @Test
    void addressesInOneIpv6Slash64ShareACounterAndTheNextSlash64HasItsOwn() {
        String prefix = "2001:db8:" + Integer.toHexString(ADDRESSES.incrementAndGet()) + ":";
        register(a, prefix + "1::a", Api.unique("six")).expect(201);
        register(b, prefix + "1::b", Api.unique("six")).expect(201);
        register(a, prefix + "1:ffff:ffff:ffff:1", Api.unique("six")).expect(201);
        String refusedName = Api.unique("six");
        register(b, prefix + "1:dead:beef::2", refusedName).expectProblem(429);
        assertEquals(0, db.count("SELECT count(*) FROM users WHERE username = ?", refusedName));
        register(a, prefix + "2::a", Api.unique("six")).expect(201);
    }

    @Test
    void anIpv4MappedIpv6AddressCountsAsItsIpv4Address() {
        String v4 = ipv4();
        register(a, v4, Api.unique("mapped")).expect(201);
        register(b, "::ffff:" + v4, Api.unique("mapped")).expect(201);
        register(a, v4, Api.unique("mapped")).expect(201);
        register(b, "::ffff:" + v4, Api.unique("mapped")).expectProblem(429);
    }

    @Test
    void registrationsComeBackAfterRetryAfterAndAllOfThemAfterTheWindow() {
        String from = ipv4();
        for (int i = 0; i < 3; i++) {
            register(i % 2 == 0 ? a : b, from, Api.unique("wave")).expect(201);
        }
        long retryAfter = retryAfter(register(a, from, Api.unique("wave")).expectProblem(429));

        advance(Duration.ofSeconds(retryAfter - 1));
        register(b, from, Api.unique("early")).expectProblem(429);
        advance(Duration.ofSeconds(1));
        register(b, from, Api.unique("later")).expect(201);
        register(a, from, Api.unique("later")).expectProblem(429);

        advance(Duration.ofHours(1));
        for (int i = 0; i < 3; i++) {
            register(i % 2 == 0 ? b : a, from, Api.unique("next")).expect(201);
        }
        register(a, from, Api.unique("next")).expectProblem(429);
    }

    // --- searches ---

    @Test
    void anonymousSemanticAndHybridSearchesAreLimitedPerAddressButKeywordSearchesAreNot() {
        String crawler = ipv4();
        for (int i = 0; i < 4; i++) {
            search(i % 2 == 0 ? a : b, crawler, null, "garden tools " + i, i < 2 ? "semantic" : "hybrid").expect(200);
        }
        for (String mode : new String[]{"semantic", "hybrid", ""}) {
            var refused = search(b, crawler, null, "garden tools", mode).expectProblem(429);
            long retryAfter = retryAfter(refused);
            assertTrue(retryAfter >= 1 && retryAfter <= 15, "4 per minute: one frees up within 15 s, got " + retryAfter);
            assertTrue(refused.text("detail").contains("searching too fast"), refused.body());
        }
        // No model runs for a keyword search: not charged, not refused.
        for (int i = 0; i < 6; i++) {
            search(i % 2 == 0 ? a : b, crawler, null, "garden", "keyword").expect(200);
        }
        search(a, ipv4(), null, "garden tools", "semantic").expect(200);
    }

    @Test
    void aQueryTheInstancesCacheAnswersRunsNoModelAndIsNotCharged() {
        String from = ipv4();
        search(a, from, null, "popular question", "semantic").expect(200);
        for (int i = 0; i < 3; i++) {
            search(a, from, null, "rarer question " + i, "hybrid").expect(200);
        }
        search(a, from, null, "one question too many", "semantic").expectProblem(429);
        // The budget is spent, but instance a holds the popular query's vector: no model runs, no charge.
        for (int i = 0; i < 5; i++) {
            search(a, from, null, "popular question", i % 2 == 0 ? "semantic" : "hybrid").expect(200);
        }
        // Instance b never embedded it: there the search would run the model, so it is refused.
        search(b, from, null, "popular question", "semantic").expectProblem(429);
    }

    @Test
    void membersSearchOnTheirOwnBudgetNotTheirAddresses() {
        String office = ipv4();
        for (int i = 0; i < 4; i++) {
            search(a, office, null, "anonymous colleague " + i, "semantic").expect(200);
        }
        search(b, office, null, "anonymous colleague", "semantic").expectProblem(429);

        Member member = member("searcher");
        // The address is exhausted, the member is not; their budget follows them to other addresses.
        for (int i = 0; i < 6; i++) {
            search(i % 2 == 0 ? a : b, i < 3 ? office : ipv4(), member.token(), "member query " + i, "hybrid")
                    .expect(200);
        }
        var refused = search(a, ipv4(), member.token(), "one too many", "semantic").expectProblem(429);
        assertTrue(refused.text("detail").contains("searching too fast"), refused.body());
        search(b, ipv4(), member("colleague").token(), "another member", "semantic").expect(200);
    }

    @Test
    void moderatorsSearchUnlimitedAndInvalidSearchesCostNothing() {
        Member moderator = moderator("searchmod");
        String desk = ipv4();
        for (int i = 0; i < 10; i++) {
            search(i % 2 == 0 ? a : b, desk, moderator.token(), "spam wave " + i, "semantic").expect(200);
        }
        String typist = ipv4();
        for (int i = 0; i < 5; i++) {
            search(a, typist, null, "", "semantic").expectInvalid("q");
            search(b, typist, null, "x", "fuzzy").expectInvalid("mode");
        }
        for (int i = 0; i < 4; i++) {
            search(i % 2 == 0 ? a : b, typist, null, "valid at last " + i, "semantic").expect(200);
        }
    }

    @Test
    void anonymousSearchesComeBackAfterTheWindow() {
        String from = ipv4();
        for (int i = 0; i < 4; i++) {
            search(a, from, null, "patient " + i, "semantic").expect(200);
        }
        long retryAfter = retryAfter(search(b, from, null, "impatient", "semantic").expectProblem(429));
        advance(Duration.ofSeconds(retryAfter));
        search(b, from, null, "patient again", "semantic").expect(200);
        search(a, from, null, "not yet", "semantic").expectProblem(429);
        advance(Duration.ofMinutes(1));
        for (int i = 0; i < 4; i++) {
            search(i % 2 == 0 ? b : a, from, null, "after the window " + i, "hybrid").expect(200);
        }
        search(a, from, null, "over again", "hybrid").expectProblem(429);
    }

    // --- reports ---

    @Test
    void reportsAreLimitedPerMemberAndARefusedReportWritesNothing() {
        List<Long> posts = publishedPosts(5);
        Member reporter = member("reporter");
        report(a, reporter, posts.get(0)).expect(202);
        report(b, reporter, posts.get(1)).expect(202);
        report(a, reporter, posts.get(2)).expect(202);

        var refused = report(b, reporter, posts.get(3)).expectProblem(429);
        long retryAfter = retryAfter(refused);
        // 3 per hour: one report frees up 20 minutes after the one before it.
        assertTrue(retryAfter >= 1 && retryAfter <= 1200, "Retry-After " + retryAfter);
        assertTrue(refused.text("detail").contains("reporting too fast"), refused.body());
        report(a, reporter, posts.get(4)).expectProblem(429);
        assertEquals(3, db.count("SELECT count(*) FROM post_reports WHERE reporter_id = ?", reporter.id()));
        assertEquals(0, db.count("SELECT count(*) FROM review_items WHERE post_id = ?", posts.get(3)));
        assertEquals(0, db.count("SELECT count(*) FROM moderation_audit WHERE action = 'report' AND post_id = ?", posts.get(3)));

        // A second report of the same item adds nothing, so it is not refused either.
        report(b, reporter, posts.get(0)).expect(202);
        // Another member's budget is their own, and staff are exempt.
        report(a, member("bystander"), posts.get(3)).expect(202);
        Member moderator = moderator("reportmod");
        for (long post : posts) {
            report(post % 2 == 0 ? a : b, moderator, post).expect(202);
        }

        advance(Duration.ofSeconds(retryAfter));
        report(b, reporter, posts.get(3)).expect(202);
        report(a, reporter, posts.get(4)).expectProblem(429);
        advance(Duration.ofHours(1));
        report(a, reporter, posts.get(4)).expect(202);
        assertEquals(5, db.count("SELECT count(*) FROM post_reports WHERE reporter_id = ?", reporter.id()));
    }

    @Test
    void reportsThatFailCostNothing() {
        Member clumsy = member("clumsy");
        for (int i = 0; i < 5; i++) {
            report(i % 2 == 0 ? a : b, clumsy, 987_654_321L).expectProblem(404);
        }
        List<Long> posts = publishedPosts(3);
        for (long post : posts) {
            report(a, clumsy, post).expect(202);
        }
    }

    // --- helpers ---

    /** {@code count} threads by a fresh author, published by running the moderation jobs by hand. */
    private List<Long> publishedPosts(int count) {
        Member author = member("author");
        String slug = api.category("reported");
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ids.add(api.post("/api/threads", author.token(), Map.of("category", slug, "title", "Reported " + i,
                    "body", "An ordinary post about houseplants, number " + i)).expect(201)
                    .json().get("firstPost").get("id").getLongValue());
        }
        try (WorkerPool pool = pools.create("limits-test")) {
            while (pool.runDue() > 0) {
                // moderation, then whatever it queues, until nothing is due
            }
        }
        for (long id : ids) {
            assertEquals("published", db.value("SELECT status FROM posts WHERE id = ?", id), "post " + id);
        }
        return ids;
    }

    /** A member registered from an address of their own, so that no test spends another's budget. */
    private Member member(String prefix) {
        String username = Api.unique(prefix);
        long id = register(a, ipv4(), username).expect(201).id();
        return new Member(id, username, api.login(username, password(username)));
    }

    private Member moderator(String prefix) {
        Member member = member(prefix);
        api.put("/api/admin/users/" + member.username() + "/role", api.adminToken(), Map.of("role", "moderator"))
                .expect(200);
        return member;
    }

    private Api.Res register(EmbeddedServer target, String clientAddress, String username) {
        String body = "{\"username\":\"" + username + "\",\"email\":\"" + username + "@example.com\",\"password\":\""
                + password(username) + "\"}";
        return send(target, clientAddress, null, HttpRequest.newBuilder(target.getURI().resolve("/api/auth/register"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    private Api.Res search(EmbeddedServer target, String clientAddress, String token, String q, String mode) {
        String query = "/api/search?q=" + URLEncoder.encode(q, StandardCharsets.UTF_8)
                + (mode.isEmpty() ? "" : "&mode=" + mode);
        return send(target, clientAddress, token, HttpRequest.newBuilder(target.getURI().resolve(query)).GET());
    }

    private Api.Res report(EmbeddedServer target, Member reporter, long postId) {
        return send(target, ipv4(), reporter.token(),
                HttpRequest.newBuilder(target.getURI().resolve("/api/posts/" + postId + "/report"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"reason\":\"spam\"}")));
    }

    /** A fresh client address from TEST-NET-2. */
    private static String ipv4() {
        int n = ADDRESSES.incrementAndGet();
        return "198.51." + (100 + n / 250) + "." + (n % 250 + 1);
    }

    private void advance(Duration duration) {
        clock.advance(duration);
        otherClock.set(clock.instant());
    }
}
