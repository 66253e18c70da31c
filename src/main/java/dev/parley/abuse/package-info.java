/**
 * Abuse limits: rate limits on login attempts, registrations, posting, reports and searches that
 * run a model inference, with their state in PostgreSQL so every instance enforces the same budget. A feature package of its own rather than part of
 * {@code common} (which holds no business rules) or {@code auth} (posting limits are not about
 * authentication): {@code auth}, {@code forum}, {@code moderation} and {@code search} call it through
 * {@link dev.parley.abuse.LoginLimits}, {@link dev.parley.abuse.RegistrationLimits},
 * {@link dev.parley.abuse.PostingLimits}, {@link dev.parley.abuse.ReportLimits} and
 * {@link dev.parley.abuse.SearchLimits}, and it depends on none of them.
 */
package dev.parley.abuse;
