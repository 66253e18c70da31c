package dev.parley.forum;

import java.util.Locale;

/** Lifecycle of a post (API.md): only {@link #PUBLISHED} posts are public, listed, counted and searchable. */
public enum PostStatus {
    PENDING, PUBLISHED, FLAGGED, REJECTED, DELETED;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }
}
