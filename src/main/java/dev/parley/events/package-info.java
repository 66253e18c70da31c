/**
 * Domain events: the outbox (written in the transaction of each change) and the server-sent event
 * streams that serve it to clients. A base feature like the pipeline: forum and moderation write
 * events through {@link dev.parley.events.Outbox}; readers use {@link dev.parley.events.OutboxReader}
 * and {@link dev.parley.events.EventStreams}. It depends on no other feature.
 */
package dev.parley.events;
