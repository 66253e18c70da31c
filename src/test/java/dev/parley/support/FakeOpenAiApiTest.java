package dev.parley.support;

import io.micronaut.test.support.TestPropertyProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.TestInstance;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Base of HTTP-level tests whose service talks to OpenAI: a fake of it for this test class alone,
 * the service pointed at it with a test key, and the fake stopped once the class is done. A
 * subclass scripts {@link #openai} itself and adds its own settings in {@link #properties()}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class FakeOpenAiApiTest extends ApiTest implements TestPropertyProvider {

    /**
     * An instance field, so that each test class has its own fake (one instance per class, see
     * {@code PER_CLASS}): a static one here would be one fake shared by, and closed under, them all.
     */
    protected final FakeOpenAi openai = FakeOpenAi.start();

    @Override
    public final Map<String, String> getProperties() {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("parley.openai.api-key", "sk-test-key");
        properties.put("parley.openai.base-url", openai.baseUrl());
        properties.putAll(properties());
        return properties;
    }

    /** This class's own settings, beside the fake's address and key (which they may override). */
    protected Map<String, String> properties() {
        return Map.of();
    }

    @AfterAll
    void stopFake() {
        openai.close();
    }
}
