package dev.parley.forum;

/** What the forum tells search: a post version became public and must be made searchable. */
public interface SearchGateway {

    /** Queues the embedding of a published post version, in the caller's transaction. */
    void published(long postId, int version);
}
