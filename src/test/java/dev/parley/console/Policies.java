package dev.parley.console;

import java.util.LinkedHashMap;
import java.util.Map;

import static dev.parley.support.Api.map;

/** The documented default policy (docs/moderation.md) as a PUT body, so each test starts from it. */
final class Policies {

    private Policies() {
    }

    static Map<String, Object> defaults() {
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("harassment", map("flag", 0.5, "reject", 0.9));
        t.put("harassment/threatening", map("flag", 0.3, "reject", 0.7));
        t.put("hate", map("flag", 0.4, "reject", 0.8));
        t.put("hate/threatening", map("flag", 0.3, "reject", 0.6));
        t.put("illicit", map("flag", 0.6, "reject", null));
        t.put("illicit/violent", map("flag", 0.4, "reject", 0.8));
        t.put("self-harm", map("flag", 0.4, "reject", null));
        t.put("self-harm/intent", map("flag", 0.3, "reject", null));
        t.put("self-harm/instructions", map("flag", 0.3, "reject", 0.7));
        t.put("sexual", map("flag", 0.5, "reject", 0.9));
        t.put("sexual/minors", map("flag", 0.1, "reject", 0.4));
        t.put("violence", map("flag", 0.6, "reject", 0.95));
        t.put("violence/graphic", map("flag", 0.5, "reject", 0.9));
        return map("thresholds", t, "categoryOverrides", Map.of(), "onProviderFailure", "flag");
    }
}
