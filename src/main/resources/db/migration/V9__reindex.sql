-- Background re-embedding runs (search/): progress, checkpoint and outcome, shared by all instances.
CREATE TABLE reindex_runs (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    model         text        NOT NULL,
    scope         text        NOT NULL CHECK (scope IN ('all', 'stale')),
    state         text        NOT NULL CHECK (state IN ('running', 'succeeded', 'failed', 'cancelled')),
    total         integer     NOT NULL,
    done          integer     NOT NULL DEFAULT 0,
    failed        integer     NOT NULL DEFAULT 0,
    -- Checkpoint: the highest post id whose batch is committed; a resumed run starts after it.
    last_post_id  bigint      NOT NULL DEFAULT 0,
    -- Embeddings per second at most; null: as fast as the model goes.
    max_per_second double precision,
    started_by    bigint REFERENCES users (id),
    started_at    timestamptz NOT NULL,
    finished_at   timestamptz
);
-- One running run per model across all instances.
CREATE UNIQUE INDEX reindex_runs_one_running ON reindex_runs (model) WHERE state = 'running';

-- Posts a run could not embed, with the error, retried once before the run ends.
CREATE TABLE reindex_failures (
    run_id  bigint NOT NULL REFERENCES reindex_runs (id),
    post_id bigint NOT NULL REFERENCES posts (id),
    error   text   NOT NULL,
    PRIMARY KEY (run_id, post_id)
);
