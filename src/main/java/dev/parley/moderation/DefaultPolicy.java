package dev.parley.moderation;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The policy in force until an admin sets one (docs/moderation.md explains the choices): strict on
 * threats and anything sexual involving minors, lenient on self-harm (flag for a human who can
 * help, never reject), and flag rather than publish when the provider is down.
 */
final class DefaultPolicy {

    private DefaultPolicy() {
    }

    static Policy get() {
        Map<String, Thresholds> t = new LinkedHashMap<>();
        t.put("harassment", new Thresholds(0.5, 0.9));
        t.put("harassment/threatening", new Thresholds(0.3, 0.7));
        t.put("hate", new Thresholds(0.4, 0.8));
        t.put("hate/threatening", new Thresholds(0.3, 0.6));
        t.put("illicit", new Thresholds(0.6, null));
        t.put("illicit/violent", new Thresholds(0.4, 0.8));
        t.put("self-harm", new Thresholds(0.4, null));
        t.put("self-harm/intent", new Thresholds(0.3, null));
        t.put("self-harm/instructions", new Thresholds(0.3, 0.7));
        t.put("sexual", new Thresholds(0.5, 0.9));
        t.put("sexual/minors", new Thresholds(0.1, 0.4));
        t.put("violence", new Thresholds(0.6, 0.95));
        t.put("violence/graphic", new Thresholds(0.5, 0.9));
        return new Policy(t, Map.of(), Policy.FLAG, 0L, null);
    }
}
