package dev.parley.search.embedding;

import dev.parley.openai.OpenAiConfig;
import dev.parley.search.EmbeddingModel;
import io.micronaut.context.ApplicationContext;
import io.micronaut.context.exceptions.ConfigurationException;
import io.micronaut.json.JsonMapper;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EmbeddingModelFactoryTest {

    private static final String KEY = "sk-test-factory-91c";
    private static final JsonMapper JSON = JsonMapper.createDefault();
    private static final OpenAiConfig NO_KEY = new OpenAiConfig(null, null, null, null, 0);
    private static final OpenAiConfig WITH_KEY = new OpenAiConfig(KEY, null, null, null, 0);

    private static EmbeddingModel pick(EmbeddingConfig config, OpenAiConfig openAi) {
        return new EmbeddingModelFactory().embeddingModel(config, openAi, JSON, Clock.systemUTC());
    }

    private static EmbeddingConfig config(String provider, String model, Integer dimensions) {
        return new EmbeddingConfig(provider, model, dimensions, null, 0, 0, null);
    }

    // ---- choosing -------------------------------------------------------------------------------

    @Test
    void withNothingConfiguredTheLocalModelIsChosenEvenWhenAnOpenAiKeyIsSet() {
        for (OpenAiConfig openAi : List.of(NO_KEY, WITH_KEY)) {
            EmbeddingModel model = pick(EmbeddingConfig.defaults(), openAi);
            assertInstanceOf(LocalEmbeddingModel.class, model);
            assertEquals("all-minilm-l6-v2", model.name());
            assertEquals(384, model.dimensions());
            ((LocalEmbeddingModel) model).close();
        }
    }

    @Test
    void openAiIsChosenByNameInAnyCaseAndUsesItsDefaultModel() {
        for (String provider : List.of("openai", "OpenAI", " openai ")) {
            EmbeddingModel model = pick(config(provider, null, null), WITH_KEY);
            assertInstanceOf(OpenAiEmbeddingModel.class, model);
            assertEquals("text-embedding-3-small", model.name());
            assertEquals(1536, model.dimensions());
        }
        EmbeddingModel large = pick(config("openai", "text-embedding-3-large", 1024), WITH_KEY);
        assertEquals("text-embedding-3-large@1024", large.name(), "other dimensions are another model to search");
        assertEquals(1024, large.dimensions());
    }

    @Test
    void openAiWithoutAKeyStopsTheStart() {
        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> pick(config("openai", null, null), NO_KEY));
        assertTrue(e.getMessage().contains("OPENAI_API_KEY"), e.getMessage());
        assertThrows(ConfigurationException.class,
                () -> pick(config("openai", null, null), new OpenAiConfig("  ", null, null, null, 0)));
    }

    @Test
    void anUnknownProviderStopsTheStart() {
        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> pick(config("bert", null, null), WITH_KEY));
        assertTrue(e.getMessage().contains("local or openai"), e.getMessage());
    }

    @Test
    void theLocalProviderRefusesSettingsItCannotHonour() {
        assertThrows(ConfigurationException.class, () -> pick(config("local", "text-embedding-3-small", null), NO_KEY));
        assertThrows(ConfigurationException.class, () -> pick(config("local", null, 768), NO_KEY));
        EmbeddingModel model = pick(config("local", "All-MiniLM-L6-v2", 384), NO_KEY);
        assertEquals("all-minilm-l6-v2", model.name());
        ((LocalEmbeddingModel) model).close();
    }

    @Test
    void missingSettingsGetDefaults() {
        EmbeddingConfig config = new EmbeddingConfig(" ", "", 0, Duration.ZERO, 0, 0, " ");

        assertEquals("local", config.provider());
        assertNull(config.model());
        assertNull(config.dimensions());
        assertEquals(Duration.ofSeconds(30), config.timeout());
        assertEquals(512, config.maxInputsPerRequest());
        assertEquals(Runtime.getRuntime().availableProcessors(), config.threads());
        assertNull(config.modelDir());

        EmbeddingConfig tooMuch = new EmbeddingConfig("openai", null, null, null, 10_000, 1_000, null);
        assertEquals(2048, tooMuch.maxInputsPerRequest(), "OpenAI's limit");
        assertEquals(Runtime.getRuntime().availableProcessors(), tooMuch.threads(), "no more threads than cores");
    }

    // ---- in a context ---------------------------------------------------------------------------

    /**
     * The whole application in the test environment, migrations included, as every API test starts it:
     * other features' start-up work needs the schema. Only the local provider, which is the default anyway,
     * since the search feature records the active model in the shared test database.
     */
    @Test
    void theContextHoldsExactlyOneModelAndReadsTheEmbeddingSettings() {
        try (ApplicationContext context = ApplicationContext.run(Map.of(
                "parley.embedding.provider", "local",
                "parley.embedding.model", "all-minilm-l6-v2",
                "parley.embedding.dimensions", "384",
                "parley.embedding.timeout", "5s",
                "parley.embedding.max-inputs-per-request", "64",
                "parley.embedding.threads", "1",
                "parley.embedding.model-dir", "/var/tmp/parley-test-models",
                "parley.pipeline.workers-enabled", false), "test")) {
            assertEquals(1, context.getBeansOfType(EmbeddingModel.class).size());
            assertInstanceOf(LocalEmbeddingModel.class, context.getBean(EmbeddingModel.class));
            assertEquals(new EmbeddingConfig("local", "all-minilm-l6-v2", 384, Duration.ofSeconds(5), 64, 1,
                    "/var/tmp/parley-test-models"), context.getBean(EmbeddingConfig.class));
        }
        try (ApplicationContext context = ApplicationContext.run(Map.of(
                "parley.pipeline.workers-enabled", false), "test")) {
            assertInstanceOf(LocalEmbeddingModel.class, context.getBean(EmbeddingModel.class));
            assertEquals(EmbeddingConfig.defaults(), context.getBean(EmbeddingConfig.class));
        }
    }

    @Test
    void theContextDoesNotStartWithOpenAiAndNoKey() {
        Exception e = assertThrows(Exception.class, () -> ApplicationContext.run(settings(Map.of(
                "parley.embedding.provider", "openai",
                "parley.openai.api-key", "")), "test").close());
        Throwable cause = e;
        while (cause != null && !(cause instanceof ConfigurationException)) {
            cause = cause.getCause();
        }
        assertInstanceOf(ConfigurationException.class, cause, "caused by a ConfigurationException: " + e);
        assertTrue(cause.getMessage().contains("OPENAI_API_KEY"), cause.getMessage());
    }

    /**
     * A context that touches the database as little as possible (no migrations, no workers, no admin): it
     * must fail while building its beans, before any start-up work.
     */
    private static Map<String, Object> settings(Map<String, Object> embedding) {
        Map<String, Object> settings = new HashMap<>(embedding);
        settings.put("datasources.default.username", "parley");
        settings.put("datasources.default.password", "parley");
        settings.put("flyway.datasources.default.enabled", false);
        settings.put("parley.pipeline.workers-enabled", false);
        settings.put("parley.auth.admin-username", "");
        return settings;
    }
}
