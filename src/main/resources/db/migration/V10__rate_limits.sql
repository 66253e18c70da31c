-- Abuse limits (abuse/): one row per (scope, key) that has been charged recently, shared by every
-- instance. Generic cell rate algorithm: `tat` is the theoretical arrival time, the moment at which
-- the key's bucket is empty again. A request of cost T = window / limit is allowed while
-- max(tat, now) + T <= now + window, and then moves tat to max(tat, now) + T.
-- A row whose tat has passed carries no information (a full bucket), so purging it is exact.
CREATE TABLE rate_limits (
    scope   text        NOT NULL,
    key     text        NOT NULL,
    tat     timestamptz NOT NULL,
    -- Whether the last charge was allowed: the single upsert reports its own decision through it.
    allowed boolean     NOT NULL,
    PRIMARY KEY (scope, key)
);
CREATE INDEX rate_limits_tat ON rate_limits (tat);
