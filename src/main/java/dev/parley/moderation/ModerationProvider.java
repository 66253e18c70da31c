package dev.parley.moderation;

import java.util.List;

/** Scores texts into the harm categories. Implementations: OpenAI's moderation endpoint, local rules. */
public interface ModerationProvider {

    /** "openai" or "rules", as recorded in decisions and review reasons. */
    String name();

    /** The model (or rule-set) name recorded with each decision. */
    String model();

    /**
     * Scores every text, answering one {@link HarmScores} per text in the same order, with as few
     * calls to the backing service as its limits allow.
     *
     * @throws ProviderException when the provider cannot answer; its kind says whether and when to retry
     */
    List<HarmScores> score(List<String> texts);
}
