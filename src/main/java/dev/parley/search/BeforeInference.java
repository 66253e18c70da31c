package dev.parley.search;

/**
 * What a search does just before the model embeds its query, and only then (a query-cache miss):
 * the caller charges the search budget there, so a search answered from the cache, which runs no
 * model, costs no budget. It may refuse by throwing; nothing has run yet.
 */
@FunctionalInterface
interface BeforeInference {

    /** For callers with no budget to charge. */
    BeforeInference NOTHING = () -> {
    };

    void run();
}
