package dev.parley.events;

/** Who may see an event: anyone who may read its thread, or moderators and admins only. */
public enum Audience {
    PUBLIC,
    STAFF
}
