-- Wakes the workers of every instance when jobs are queued: one notification per kind inserted by a
-- statement, sent by PostgreSQL at commit (and only if the transaction commits). Done here rather than
-- by a separate SELECT pg_notify(...) from the service, which cost every write that queues a job a
-- round trip. The channel is JobStore.CHANNEL. A statement that inserted nothing (ON CONFLICT DO
-- NOTHING) notifies nobody.
CREATE FUNCTION jobs_notify_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('parley_jobs', kind) FROM (SELECT DISTINCT kind FROM inserted_jobs) kinds;
    RETURN NULL;
END $$;

CREATE TRIGGER jobs_notify_on_insert AFTER INSERT ON jobs
    REFERENCING NEW TABLE AS inserted_jobs
    FOR EACH STATEMENT EXECUTE FUNCTION jobs_notify_inserted();
