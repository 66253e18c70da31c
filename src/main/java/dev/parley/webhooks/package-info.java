/**
 * Outbound webhooks: endpoints admins register, deliveries of outbox events to them through the job
 * pipeline, signed per the Standard Webhooks specification, with a log, redelivery, automatic disabling
 * and a guard against requests to private addresses. Depends on {@code events} (the outbox it reads),
 * {@code pipeline} (the jobs that deliver), {@code auth} and {@code common}; nothing depends on it.
 */
package dev.parley.webhooks;
