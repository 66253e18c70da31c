-- The job pipeline (pipeline/): the only way work crosses from a request to the background.
CREATE TABLE jobs (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind         text        NOT NULL,
    payload      jsonb       NOT NULL DEFAULT '{}'::jsonb,
    -- Optional de-duplication key: at most one not-yet-started job per (kind, unique_key).
    unique_key   text,
    state        text        NOT NULL DEFAULT 'queued'
        CHECK (state IN ('queued', 'running', 'succeeded', 'dead')),
    -- Claims so far; a claim whose worker vanished counts too.
    attempts     integer     NOT NULL DEFAULT 0,
    max_attempts integer     NOT NULL CHECK (max_attempts > 0),
    run_at       timestamptz NOT NULL,
    created_at   timestamptz NOT NULL,
    started_at   timestamptz,
    finished_at  timestamptz,
    -- The instance holding the job, until when, and the fencing token of this claim: a worker whose
    -- lease expired and was re-claimed can no longer complete or fail the job.
    locked_by    text,
    lease_until  timestamptz,
    lease_token  uuid,
    last_error   text
);

-- Claiming: the ready jobs of a kind, oldest due first.
CREATE INDEX jobs_ready ON jobs (kind, run_at, id) WHERE state = 'queued';
-- Recovering expired leases and extending one instance's leases.
CREATE INDEX jobs_running ON jobs (lease_until) WHERE state = 'running';
CREATE INDEX jobs_locked_by ON jobs (locked_by) WHERE state = 'running';
-- Purging old finished jobs.
CREATE INDEX jobs_finished ON jobs (finished_at) WHERE state = 'succeeded';
-- De-duplication among jobs that have not started yet (a retry waiting again does not block a new one).
CREATE UNIQUE INDEX jobs_unique_pending ON jobs (kind, unique_key)
    WHERE unique_key IS NOT NULL AND state = 'queued' AND attempts = 0;
