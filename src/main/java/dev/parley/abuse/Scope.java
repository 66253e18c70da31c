package dev.parley.abuse;

/**
 * What a rate limit counts, and the configuration name of its limit and window
 * ({@code parley.limits.rate.<name>.limit} and {@code .window}).
 */
enum Scope {
    /** Every login attempt from one client address: slows password spraying across accounts. */
    LOGIN_ADDRESS("login-address"),
    /** Failed logins of one account from one client address: slows guessing one password. */
    LOGIN_ACCOUNT_ADDRESS("login-account-address"),
    /**
     * Failed logins of one account from all addresses together: a ceiling on distributed guessing,
     * higher than the per-address one so that one address alone cannot lock an account.
     */
    LOGIN_ACCOUNT("login-account"),
    /** New threads and replies of one user. */
    POSTS("posts"),
    /** New threads of one user (each also counts as a post). */
    THREADS("threads"),
    /** Edits of one user: post bodies and thread titles. */
    EDITS("edits"),
    /**
     * Registration attempts from one client address: each pays an Argon2 hash and may leave an
     * account behind, so a bot wave from one network is slowed before it costs anything.
     */
    REGISTRATION_ADDRESS("registration-address"),
    /** Searches that run a model inference (semantic, hybrid) by anonymous callers from one address. */
    SEARCH_ADDRESS("search-address"),
    /** Searches that run a model inference by one member, from wherever they are. */
    SEARCH_MEMBER("search-member"),
    /** Reports of posts by one member. */
    REPORTS("reports");

    private final String configName;

    Scope(String configName) {
        this.configName = configName;
    }

    String configName() {
        return configName;
    }
}
