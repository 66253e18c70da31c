-- Outbound webhooks (webhooks/): endpoints that admins register, one delivery per (endpoint, event)
-- and one log row per attempt to deliver it.
CREATE TABLE webhook_endpoints (
    id                   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    url                  text        NOT NULL,
    -- Wire names of the outbox's event types (post.published, queue.opened, ...).
    event_types          text[]      NOT NULL,
    -- Standard Webhooks form (whsec_ + base64 key); needed in clear to sign, never returned after creation.
    secret               text        NOT NULL,
    enabled              boolean     NOT NULL DEFAULT true,
    -- Failed attempts in a row; reaching parley.webhooks.disable-after-failures disables the endpoint.
    consecutive_failures integer     NOT NULL DEFAULT 0,
    disabled_reason      text,
    disabled_at          timestamptz,
    -- The consumer cursor: every outbox event up to this id has become a delivery (or did not match).
    -- Outbox ids are commit-ordered, so reading after it never skips an event.
    last_event_id        bigint      NOT NULL,
    created_at           timestamptz NOT NULL,
    updated_at           timestamptz NOT NULL
);

CREATE TABLE webhook_deliveries (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    endpoint_id bigint      NOT NULL REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
    event_id    bigint      NOT NULL,
    event_type  text        NOT NULL,
    -- The webhook-id header: the same for every attempt and redelivery of this message.
    message_id  text        NOT NULL,
    -- The exact JSON sent, frozen when the event was read: signatures cover these bytes, retries send the
    -- same, and the outbox may purge the event meanwhile.
    body        text        NOT NULL,
    state       text        NOT NULL CHECK (state IN ('pending', 'delivered', 'failed')),
    attempts    integer     NOT NULL DEFAULT 0,
    created_at  timestamptz NOT NULL,
    -- One delivery per endpoint and event, whatever instance read the event.
    UNIQUE (endpoint_id, event_id)
);
-- An endpoint's log, newest first.
CREATE INDEX webhook_deliveries_endpoint ON webhook_deliveries (endpoint_id, id DESC);
-- Purging the log after parley.webhooks.log-retention.
CREATE INDEX webhook_deliveries_created_at ON webhook_deliveries (created_at);

CREATE TABLE webhook_attempts (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    delivery_id bigint      NOT NULL REFERENCES webhook_deliveries (id) ON DELETE CASCADE,
    attempt     integer     NOT NULL,
    -- The HTTP status, null when no response came (refused target, timeout, connection error).
    status      integer,
    response_ms integer,
    error       text,
    at          timestamptz NOT NULL
);
CREATE INDEX webhook_attempts_delivery ON webhook_attempts (delivery_id, attempt);
