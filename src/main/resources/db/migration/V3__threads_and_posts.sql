CREATE TABLE threads (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    category_id      bigint      NOT NULL REFERENCES categories (id),
    author_id        bigint      NOT NULL REFERENCES users (id),
    title            text        NOT NULL,
    locked           boolean     NOT NULL DEFAULT false,
    pinned           boolean     NOT NULL DEFAULT false,
    -- Whether the public sees the thread: true exactly while its first post is published.
    -- Kept beside the post's status in the same transaction so the listing index can filter on it.
    visible          boolean     NOT NULL DEFAULT false,
    -- Published posts only: what the public sees counted.
    post_count       integer     NOT NULL DEFAULT 0 CHECK (post_count >= 0),
    created_at       timestamptz NOT NULL,
    last_activity_at timestamptz NOT NULL
);

-- GET /api/categories/{slug}/threads: pinned first, then by last activity, keyset-paginated.
CREATE INDEX threads_category_listing
    ON threads (category_id, pinned DESC, last_activity_at DESC, id DESC) WHERE visible;

CREATE TABLE posts (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    thread_id  bigint      NOT NULL REFERENCES threads (id),
    author_id  bigint      NOT NULL REFERENCES users (id),
    body       text        NOT NULL,
    status     text        NOT NULL
        CHECK (status IN ('pending', 'published', 'flagged', 'rejected', 'deleted')),
    score      integer     NOT NULL DEFAULT 0,
    -- Bumped on every edit, so that later work (moderation, embeddings) can key on a post version.
    version    integer     NOT NULL DEFAULT 1,
    created_at timestamptz NOT NULL,
    edited_at  timestamptz,
    deleted_at timestamptz,
    deleted_by bigint REFERENCES users (id)
);

-- GET /api/threads/{id}/posts: oldest first by id, keyset-paginated; also finds a thread's first post.
CREATE INDEX posts_thread_order ON posts (thread_id, id);
CREATE INDEX posts_author ON posts (author_id);
