-- The outbox of domain events (events/): each row is written in the transaction of the change it
-- describes, so an event exists exactly when its change committed. Server-sent event streams (and,
-- later, webhooks) read it in the order of `id`.
--
-- `id` is assigned at COMMIT, not at INSERT. A bigserial is handed out when a row is inserted, so two
-- concurrent transactions can commit in the other order: a reader that has seen id N would skip N-1
-- when it commits a moment later. Here a deferred trigger takes one advisory lock (held until the
-- transaction's end, i.e. until it is visible to every new snapshot) and only then draws the next
-- id: ids are handed out one committing transaction at a time, so once a reader sees id N, every
-- id below N is visible too (or belongs to a transaction that rolled back and never will be). The
-- price: event-writing transactions commit one at a time (the lock spans only the commit itself).
-- `row_id` is the row's identity until then.
CREATE SEQUENCE outbox_event_ids;

CREATE TABLE outbox_events (
    row_id      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id          bigint UNIQUE,
    type        text NOT NULL,
    -- 'public': the anonymous stream of the thread may carry it; 'staff': moderators only.
    audience    text NOT NULL CHECK (audience IN ('public', 'staff')),
    thread_id   bigint,
    post_id     bigint,
    item_id     bigint,
    -- A short typed value of the event: a decision, a resolution, a post version. Never user text.
    detail      text,
    occurred_at timestamptz NOT NULL
);

-- A thread's public stream: its public events after an id.
CREATE INDEX outbox_events_public_thread ON outbox_events (thread_id, id) WHERE audience = 'public';
-- Retention purge.
CREATE INDEX outbox_events_occurred_at ON outbox_events (occurred_at);

CREATE FUNCTION outbox_events_assign_id() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- The key is an arbitrary constant that no other lock of Parley uses.
    PERFORM pg_advisory_xact_lock(1398467311);
    UPDATE outbox_events SET id = nextval('outbox_event_ids') WHERE row_id = NEW.row_id;
    -- Wakes the event listener of every instance; sent by PostgreSQL at commit, only if it commits,
    -- and folded into one notification per transaction.
    PERFORM pg_notify('parley_events', '');
    RETURN NULL;
END $$;

CREATE CONSTRAINT TRIGGER outbox_events_assign_id AFTER INSERT ON outbox_events
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION outbox_events_assign_id();
