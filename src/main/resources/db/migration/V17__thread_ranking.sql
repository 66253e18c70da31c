-- One vector per thread and embedding model: what the thread is about, its title and whole opening
-- post. It is the normalised mean of the opening post's chunk vectors (as a model averages the windows
-- of an input longer than its own), so it costs no model call of its own. Search ranks a thread by this
-- vector together with its best passage, so a long thread is neither buried (its opening post still
-- counts) nor favoured for its length (more passages are more chances to be near anything).
CREATE TABLE thread_embeddings (
    model        text        NOT NULL,
    thread_id    bigint      NOT NULL REFERENCES threads (id),
    -- The opening post and the version of it this vector was computed from; queries use only current ones.
    post_id      bigint      NOT NULL REFERENCES posts (id),
    post_version integer     NOT NULL,
    embedding    vector      NOT NULL,
    updated_at   timestamptz NOT NULL,
    PRIMARY KEY (model, thread_id)
);

-- OR of text-search queries (the aggregate form of tsquery's ||): keyword search matches threads that
-- share some of a query's terms and ranks those that share more of them higher.
CREATE AGGREGATE tsquery_or_agg(tsquery) (SFUNC = tsquery_or, STYPE = tsquery);
