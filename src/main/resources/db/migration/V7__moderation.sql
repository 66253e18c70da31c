-- Moderation policy: every PUT adds a version; the highest version is in force.
CREATE TABLE moderation_policies (
    version    bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    policy     jsonb       NOT NULL,
    created_by bigint REFERENCES users (id),
    created_at timestamptz NOT NULL
);

-- The rules provider's watched words, phrases and regular expressions (replaced as a whole by a PUT).
CREATE TABLE moderation_rules (
    id       bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    pattern  text             NOT NULL,
    kind     text             NOT NULL CHECK (kind IN ('word', 'phrase', 'regex')),
    category text             NOT NULL,
    score    double precision NOT NULL CHECK (score >= 0 AND score <= 1)
);

-- A starter list so that a fresh install without an OpenAI key still catches the worst.
INSERT INTO moderation_rules (pattern, kind, category, score) VALUES
    ('kill yourself', 'phrase', 'harassment', 0.95),
    ('kys', 'word', 'harassment', 0.8),
    ('i will kill you', 'phrase', 'harassment/threatening', 0.95),
    ('i am going to kill you', 'phrase', 'harassment/threatening', 0.95);

-- One automated decision per post version: what the provider said and what the policy made of it.
CREATE TABLE moderation_decisions (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    post_id        bigint      NOT NULL REFERENCES posts (id),
    post_version   integer     NOT NULL,
    provider       text        NOT NULL,
    model          text        NOT NULL,
    scores         jsonb       NOT NULL,
    policy_version bigint      NOT NULL,
    fired          jsonb       NOT NULL,
    decision       text        NOT NULL CHECK (decision IN ('published', 'flagged', 'rejected')),
    -- Published without a provider's verdict (onProviderFailure = publish): to be scanned again.
    unmoderated    boolean     NOT NULL DEFAULT false,
    created_at     timestamptz NOT NULL,
    UNIQUE (post_id, post_version)
);
CREATE INDEX moderation_decisions_created ON moderation_decisions (created_at);
CREATE INDEX moderation_decisions_unmoderated ON moderation_decisions (post_id) WHERE unmoderated;

-- The human review queue: at most one unresolved item per post.
CREATE TABLE review_items (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    post_id         bigint      NOT NULL REFERENCES posts (id),
    post_version    integer     NOT NULL,
    -- The forum category's slug, kept here so the queue filters without reading forum tables.
    forum_category  text        NOT NULL,
    state           text        NOT NULL CHECK (state IN ('open', 'claimed', 'resolved')),
    reasons         jsonb       NOT NULL DEFAULT '[]'::jsonb,
    claimed_by      bigint REFERENCES users (id),
    claimed_at      timestamptz,
    created_at      timestamptz NOT NULL,
    resolved_by     bigint REFERENCES users (id),
    resolved_at     timestamptz,
    resolution      text CHECK (resolution IN ('approve', 'reject', 'superseded')),
    resolution_note text
);
CREATE UNIQUE INDEX review_items_one_unresolved ON review_items (post_id) WHERE state <> 'resolved';
CREATE INDEX review_items_state ON review_items (state, id);

CREATE TABLE post_reports (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    post_id        bigint      NOT NULL REFERENCES posts (id),
    reporter_id    bigint      NOT NULL REFERENCES users (id),
    review_item_id bigint      NOT NULL REFERENCES review_items (id),
    reason         text        NOT NULL,
    created_at     timestamptz NOT NULL,
    -- One report per user and review item: reporting again adds nothing.
    UNIQUE (review_item_id, reporter_id)
);

-- Append-only record of every automated and human moderation action.
CREATE TABLE moderation_audit (
    id       bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at       timestamptz NOT NULL,
    actor_id bigint REFERENCES users (id),
    actor    text        NOT NULL,
    action   text        NOT NULL,
    post_id  bigint REFERENCES posts (id),
    detail   jsonb       NOT NULL DEFAULT '{}'::jsonb
);
CREATE INDEX moderation_audit_post ON moderation_audit (post_id, id);
CREATE INDEX moderation_audit_actor ON moderation_audit (actor, id);

CREATE FUNCTION moderation_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'moderation_audit is append-only';
END $$;
CREATE TRIGGER moderation_audit_no_change BEFORE UPDATE OR DELETE ON moderation_audit
    FOR EACH ROW EXECUTE FUNCTION moderation_audit_append_only();
