-- Parked jobs (pipeline/): a job whose attempts ran out while an outside resource it needs did not
-- answer (an embedding provider during a long outage) waits in state 'parked', naming that resource,
-- instead of ending dead; it is queued again when the resource answers (JobQueue.resume).
ALTER TABLE jobs DROP CONSTRAINT jobs_state_check;
ALTER TABLE jobs ADD CONSTRAINT jobs_state_check
    CHECK (state IN ('queued', 'running', 'succeeded', 'dead', 'parked'));
ALTER TABLE jobs ADD COLUMN parked_on text;
CREATE INDEX jobs_parked ON jobs (parked_on) WHERE state = 'parked';

-- The fence for writes that a job's handler makes outside the jobs table (a reindex checkpoint):
-- used in the write's own WHERE clause, it lets the write happen only while the claim with this
-- lease token still holds the job. FOR SHARE keeps the claim from being taken over (requeued when its
-- lease expires, then claimed again) until the write's transaction ends, so a worker that lost its
-- lease can never write after the worker that took the job over has read.
CREATE FUNCTION job_lease_held(job_id bigint, token uuid) RETURNS boolean
    LANGUAGE sql VOLATILE AS $$
    SELECT EXISTS (SELECT 1 FROM jobs WHERE id = job_id AND state = 'running' AND lease_token = token FOR SHARE)
$$;
