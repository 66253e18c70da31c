package dev.parley.moderation.openai;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.parley.moderation.HarmCategories;
import dev.parley.moderation.HarmScores;
import dev.parley.moderation.ModerationProvider;
import dev.parley.moderation.ProviderException;
import dev.parley.moderation.ProviderException.Kind;
import dev.parley.openai.OpenAiConfig;
import dev.parley.support.FakeOpenAi;
import dev.parley.support.FakeOpenAi.Failure;
import io.micronaut.context.ApplicationContext;
import io.micronaut.inject.qualifiers.Qualifiers;
import io.micronaut.json.JsonMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OpenAiModerationProviderTest {

    private static final String KEY = "sk-test-7f3a9c1e5b";
    private static final String MODEL = "omni-moderation-2024-09-26";
    private static final Instant NOW = Instant.parse("2025-03-01T12:00:00Z");
    private static final JsonMapper JSON = JsonMapper.createDefault();

    private FakeOpenAi fake;

    @BeforeEach
    void startFake() {
        fake = FakeOpenAi.start();
    }

    @AfterEach
    void stopFake() {
        fake.close();
    }

    private OpenAiModerationProvider provider(int maxInputsPerRequest, Duration timeout) {
        return provider(fake.baseUrl(), maxInputsPerRequest, timeout);
    }

    private static OpenAiModerationProvider provider(String baseUrl, int maxInputsPerRequest, Duration timeout) {
        return new OpenAiModerationProvider(new OpenAiConfig(KEY, baseUrl, MODEL, timeout, maxInputsPerRequest),
                JSON, Clock.fixed(NOW, ZoneOffset.UTC));
    }

    private OpenAiModerationProvider provider() {
        return provider(32, Duration.ofSeconds(5));
    }

    private ProviderException failure(OpenAiModerationProvider provider, List<String> texts) {
        return assertThrows(ProviderException.class, () -> provider.score(texts));
    }

    // ---- answers --------------------------------------------------------------------------------

    @Test
    void scoresAllThirteenCategoriesOfEachTextInInputOrder() {
        fake.scoreWhenContains("kill", "violence", 0.97);
        fake.scoreWhenContains("IDIOT", "harassment", 0.81);

        List<HarmScores> scores = provider().score(List.of("I will kill you", "a kind word", "you idiot"));

        assertEquals(3, scores.size());
        for (HarmScores score : scores) {
            assertEquals(HarmCategories.ALL, List.copyOf(score.scores().keySet()));
        }
        assertEquals(0.97, scores.get(0).scores().get("violence"));
        assertEquals(FakeOpenAi.DEFAULT_SCORE, scores.get(0).scores().get("harassment"));
        assertTrue(scores.get(1).scores().values().stream().allMatch(s -> s == FakeOpenAi.DEFAULT_SCORE));
        assertEquals(0.81, scores.get(2).scores().get("harassment"));
        assertEquals(FakeOpenAi.DEFAULT_SCORE, scores.get(2).scores().get("violence"));
    }

    @Test
    void sendsManyTextsInRequestsOfAtMostTheConfiguredSizeAndReassemblesThemInOrder() {
        List<String> texts = IntStream.range(0, 10).mapToObj(i -> "post number " + i + ";").toList();
        fake.scoreWhenContains("number 7;", "hate", 0.7);

        List<HarmScores> scores = provider(4, Duration.ofSeconds(5)).score(texts);

        assertEquals(3, fake.moderationRequests());
        assertEquals(10, fake.moderationInputs());
        assertEquals(List.of(texts.subList(0, 4), texts.subList(4, 8), texts.subList(8, 10)), fake.moderationBatches());
        assertEquals(10, scores.size());
        for (int i = 0; i < 10; i++) {
            assertEquals(i == 7 ? 0.7 : FakeOpenAi.DEFAULT_SCORE, scores.get(i).scores().get("hate"), "text " + i);
        }
    }

    @Test
    void aFullChunkNeedsNoExtraRequestAndOneMoreTextDoes() {
        List<String> texts = IntStream.range(0, 33).mapToObj(i -> "text " + i).toList();

        provider().score(texts.subList(0, 32));
        assertEquals(1, fake.moderationRequests());

        fake.resetCounters();
        provider().score(texts);
        assertEquals(2, fake.moderationRequests());
        assertEquals(List.of(32, 1), fake.moderationBatches().stream().map(List::size).toList());
    }

    @Test
    void noTextsNeedNoRequest() {
        assertEquals(List.of(), provider().score(List.of()));
        assertEquals(0, fake.moderationRequests());
    }

    @Test
    void theRequestGoesToTheBaseUrlsModerationsPathWithTheModelAndTheBearerKey() {
        provider().score(List.of("hello"));

        assertEquals("/v1/moderations", fake.lastPath());
        assertEquals(MODEL, fake.lastModerationModel());
        assertEquals("Bearer " + KEY, fake.lastAuthorization());
    }

    @Test
    void aTrailingSlashOnTheBaseUrlChangesNothing() {
        provider(fake.baseUrl() + "/", 32, Duration.ofSeconds(5)).score(List.of("hello"));

        assertEquals("/v1/moderations", fake.lastPath());
    }

    @Test
    void nullScoresAreLeftOutUnknownKeysIgnoredAndScoresClampedToTheUnitInterval() {
        fake.failNext(Failure.body("""
                {"id": "modr-1", "model": "omni-moderation-latest", "results": [
                  {"flagged": false, "categories": {}, "category_applied_input_types": {},
                   "category_scores": {"harassment": 0.25, "illicit": null, "illicit/violent": null,
                                       "violence": 1.7, "sexual": -0.2, "brand-new-category": 0.9}},
                  {"flagged": false, "categories": {}, "category_scores": {}}
                ]}"""));

        List<HarmScores> scores = provider().score(List.of("first", "second"));

        assertEquals(Map.of("harassment", 0.25, "violence", 1.0, "sexual", 0.0), scores.get(0).scores());
        assertEquals(Map.of(), scores.get(1).scores());
    }

    // ---- failures -------------------------------------------------------------------------------

    @Test
    void rateLimitedWithRetryAfterSaysHowLongToWait() {
        fake.failNext(Failure.rateLimited(17));

        ProviderException e = failure(provider(), List.of("hello"));

        assertEquals(Kind.RATE_LIMITED, e.kind());
        assertEquals(Duration.ofSeconds(17), e.retryAfter());
    }

    @Test
    void rateLimitedWithoutRetryAfterLeavesTheWaitToTheCaller() {
        fake.failNext(Failure.rateLimited(null));

        ProviderException e = failure(provider(), List.of("hello"));

        assertEquals(Kind.RATE_LIMITED, e.kind());
        assertNull(e.retryAfter());
    }

    @Test
    void retryAfterIsReadAsSecondsOrAsAnHttpDate() {
        String inNinetySeconds = DateTimeFormatter.RFC_1123_DATE_TIME.format(
                ZonedDateTime.ofInstant(NOW.plusSeconds(90), ZoneOffset.UTC));
        String anHourAgo = DateTimeFormatter.RFC_1123_DATE_TIME.format(
                ZonedDateTime.ofInstant(NOW.minusSeconds(3600), ZoneOffset.UTC));

        assertEquals(Duration.ofSeconds(20), dev.parley.openai.OpenAiErrors.retryAfter("20", NOW));
        assertEquals(Duration.ofMillis(1500), dev.parley.openai.OpenAiErrors.retryAfter(" 1.5 ", NOW));
        assertEquals(Duration.ofSeconds(90), dev.parley.openai.OpenAiErrors.retryAfter(inNinetySeconds, NOW));
        assertEquals(Duration.ZERO, dev.parley.openai.OpenAiErrors.retryAfter(anHourAgo, NOW));
        assertNull(dev.parley.openai.OpenAiErrors.retryAfter(null, NOW));
        assertNull(dev.parley.openai.OpenAiErrors.retryAfter("", NOW));
        assertNull(dev.parley.openai.OpenAiErrors.retryAfter("-5", NOW));
        assertNull(dev.parley.openai.OpenAiErrors.retryAfter("soon", NOW));
    }

    @ParameterizedTest
    @ValueSource(ints = {500, 502, 503, 408})
    void serverErrorsAreTransient(int status) {
        fake.failNext(Failure.status(status));

        ProviderException e = failure(provider(), List.of("hello"));

        assertEquals(Kind.TRANSIENT, e.kind());
        assertTrue(e.getMessage().contains(String.valueOf(status)), e.getMessage());
    }

    @Test
    void anAnswerSlowerThanTheTimeoutIsTransientAndDoesNotHoldTheThread() {
        fake.failNext(Failure.delay(Duration.ofSeconds(5)));

        ProviderException e = failure(provider(32, Duration.ofMillis(300)), List.of("hello"));

        assertEquals(Kind.TRANSIENT, e.kind());
        // Given up on the client's own timer, not by waiting the five seconds for the answer.
        assertTrue(causedByTimeout(e), "not a timeout: " + e);
    }

    private static boolean causedByTimeout(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.util.concurrent.TimeoutException || t instanceof java.net.http.HttpTimeoutException) {
                return true;
            }
        }
        return false;
    }

    @Test
    void anAnswerWithinTheTimeoutIsNotAFailure() {
        fake.failNext(Failure.delay(Duration.ofMillis(100)));

        assertEquals(1, provider(32, Duration.ofSeconds(2)).score(List.of("hello")).size());
    }

    @Test
    void aRefusedConnectionIsTransient() {
        String deadUrl = fake.baseUrl();
        fake.close();

        ProviderException e = failure(provider(deadUrl, 32, Duration.ofSeconds(2)), List.of("hello"));

        assertEquals(Kind.TRANSIENT, e.kind());
    }

    @Test
    void aConnectionClosedWithoutAnAnswerIsTransient() {
        fake.failNext(Failure.disconnect());

        assertEquals(Kind.TRANSIENT, failure(provider(), List.of("hello")).kind());
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "not json",
            "",
            "{\"id\": \"modr-1\", \"model\": \"m\", \"results\": [{\"flagged\": false, \"category_scores\": {\"hate\": 0.1",
            "[]",
            "{\"id\": \"modr-1\", \"model\": \"m\"}",
            "{\"results\": {\"0\": {\"category_scores\": {}}}}",
            "{\"results\": [{\"category_scores\": {}}, {\"category_scores\": {}}]}",
            "{\"results\": []}",
            "{\"results\": [{\"flagged\": true}]}",
            "{\"results\": [{\"category_scores\": [0.1, 0.2]}]}",
            "{\"results\": [{\"category_scores\": {\"hate\": \"high\"}}]}",
            "{\"results\": [42]}"
    })
    void anAnswerThatIsNotWhatTheApiSpecifiesIsMalformed(String body) {
        fake.failNext(Failure.body(body));

        ProviderException e = failure(provider(), List.of("some user text"));

        assertEquals(Kind.MALFORMED, e.kind(), body);
        assertFalse(e.getMessage().contains("some user text"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(ints = {401, 400, 403, 404})
    void aRefusalOfTheRequestIsAConfigurationProblemThatNeverQuotesTheKey(int status) {
        fake.failNext(Failure.status(status));

        ProviderException e = failure(provider(), List.of("hello"));

        assertEquals(Kind.CONFIGURATION, e.kind());
        assertTrue(e.getMessage().contains(String.valueOf(status)), e.getMessage());
        assertFalse(e.getMessage().contains(KEY), e.getMessage());
    }

    @Test
    void aRefusalCarriesOpenAisExplanation() {
        fake.failNext(Failure.status(401));

        ProviderException e = failure(provider(), List.of("hello"));

        // The fake quotes the key in its 401, as OpenAI does (masked): the provider keeps the rest.
        assertTrue(e.getMessage().contains("Incorrect API key provided: ***"), e.getMessage());
    }

    @Test
    void aFailedChunkFailsTheWholeCallSoNoTextGoesUnscored() {
        fake.failNext(Failure.delay(Duration.ZERO));   // a delay of nothing: the first chunk is answered
        fake.failNext(Failure.status(500));

        ProviderException e = failure(provider(2, Duration.ofSeconds(5)), List.of("a", "b", "c"));

        assertEquals(Kind.TRANSIENT, e.kind());
        assertEquals(2, fake.moderationRequests());
    }

    @Test
    void nothingLoggedCarriesTheKeyOrTheText() {
        Logger logger = (Logger) LoggerFactory.getLogger(OpenAiModerationProvider.class);
        Level level = logger.getLevel();
        ListAppender<ILoggingEvent> events = new ListAppender<>();
        events.start();
        logger.addAppender(events);
        logger.setLevel(Level.TRACE);
        logger.setAdditive(false);   // captured here, not printed
        try {
            OpenAiModerationProvider provider = provider();
            provider.score(List.of("secret user text"));
            fake.failNext(Failure.status(401));
            assertThrows(ProviderException.class, () -> provider.score(List.of("secret user text")));
            fake.failNext(Failure.body("not json"));
            assertThrows(ProviderException.class, () -> provider.score(List.of("secret user text")));
        } finally {
            logger.detachAppender(events);
            logger.setLevel(level);
            logger.setAdditive(true);
        }
        assertFalse(events.list.isEmpty(), "nothing was logged at all: the test would prove nothing");
        for (ILoggingEvent event : events.list) {
            assertFalse(event.getFormattedMessage().contains(KEY), event.getFormattedMessage());
            assertFalse(event.getFormattedMessage().contains("secret user text"), event.getFormattedMessage());
        }
    }

    // ---- configuration --------------------------------------------------------------------------

    @Test
    void missingSettingsFallBackToOpenAisDefaults() {
        OpenAiConfig config = new OpenAiConfig(KEY, "", null, null, 0);

        assertEquals("https://api.openai.com/v1", config.baseUrl());
        assertEquals("https://api.openai.com/v1/moderations", config.moderationsUrl());
        assertEquals("omni-moderation-latest", config.moderationModel());
        assertEquals(Duration.ofSeconds(10), config.timeout());
        assertEquals(32, config.maxInputsPerRequest());
        assertFalse(config.toString().contains(KEY), config.toString());
    }

    @Test
    void theBeanExistsOnlyWhenAKeyIsSetAndReadsItsSettings() {
        try (ApplicationContext context = ApplicationContext.run(settings(Map.of(
                "parley.openai.api-key", KEY,
                "parley.openai.base-url", fake.baseUrl(),
                "parley.openai.timeout", "3s")), "test")) {
            ModerationProvider provider = context.getBean(ModerationProvider.class, Qualifiers.byName("openai"));
            assertEquals("openai", provider.name());
            assertEquals("omni-moderation-latest", provider.model());
            assertEquals(1, provider.score(List.of("hello")).size());
            assertEquals("/v1/moderations", fake.lastPath());
            OpenAiConfig config = context.getBean(OpenAiConfig.class);
            assertEquals(Duration.ofSeconds(3), config.timeout());
            assertEquals(32, config.maxInputsPerRequest());
        }
        for (String blank : List.of("", "  ")) {
            try (ApplicationContext context = ApplicationContext.run(settings(Map.of(
                    "parley.openai.api-key", blank)), "test")) {
                assertFalse(context.containsBean(ModerationProvider.class, Qualifiers.byName("openai")));
            }
        }
    }

    /**
     * A context that touches the database as little as possible: no workers, no admin. Migrations run
     * (a no-op on a migrated database) because search records its active model at start-up, so the
     * test also passes alone on a fresh database.
     */
    private static Map<String, Object> settings(Map<String, Object> openAi) {
        Map<String, Object> settings = new HashMap<>(openAi);
        settings.put("datasources.default.username", "parley");
        settings.put("datasources.default.password", "parley");
        settings.put("parley.pipeline.workers-enabled", false);
        settings.put("parley.auth.admin-username", "");
        return settings;
    }
}
