package dev.parley.moderation;

import java.util.List;
import java.util.Set;

/** OpenAI's 13 harm categories, the vocabulary of scores, thresholds and rules. */
public final class HarmCategories {

    public static final List<String> ALL = List.of(
            "harassment", "harassment/threatening", "hate", "hate/threatening", "illicit", "illicit/violent",
            "self-harm", "self-harm/intent", "self-harm/instructions", "sexual", "sexual/minors", "violence",
            "violence/graphic");

    private static final Set<String> KNOWN = Set.copyOf(ALL);

    private HarmCategories() {
    }

    public static boolean isKnown(String category) {
        return KNOWN.contains(category);
    }
}
