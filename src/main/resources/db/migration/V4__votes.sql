CREATE TABLE votes (
    post_id    bigint      NOT NULL REFERENCES posts (id),
    user_id    bigint      NOT NULL REFERENCES users (id),
    value      smallint    NOT NULL CHECK (value IN (-1, 1)),
    created_at timestamptz NOT NULL,
    -- One vote per user and post.
    PRIMARY KEY (post_id, user_id)
);

CREATE INDEX votes_user ON votes (user_id);
