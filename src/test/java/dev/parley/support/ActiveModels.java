package dev.parley.support;

/**
 * The active embedding model is shared state in the test database: tests that switch it put it
 * back, so that later test classes search with the local model again.
 */
public final class ActiveModels {

    public static final String LOCAL = "all-minilm-l6-v2";

    private ActiveModels() {
    }

    public static void set(Db db, String model) {
        db.execute("INSERT INTO search_settings (key, value) VALUES ('active_model', ?)"
                + " ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value", model);
    }

    /** The active model; the local one until a reindex has switched it. */
    public static String get(Db db) {
        return (String) db.value("SELECT COALESCE((SELECT value FROM search_settings WHERE key = 'active_model'), ?)", LOCAL);
    }
}
