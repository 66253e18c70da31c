/**
 * Abuse limits: rate limits on login attempts and on posting, with their state in PostgreSQL so
 * every instance enforces the same budget. A feature package of its own rather than part of
 * {@code common} (which holds no business rules) or {@code auth} (posting limits are not about
 * authentication): {@code auth} and {@code forum} call it through {@link dev.parley.abuse.LoginLimits}
 * and {@link dev.parley.abuse.PostingLimits}, and it depends on neither of them.
 */
package dev.parley.abuse;
