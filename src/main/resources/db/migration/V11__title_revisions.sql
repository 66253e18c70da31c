-- A member's edit of a thread title waits here for moderation. threads.title keeps the public
-- title until a revision is published, so the thread page, the listings and search never show an
-- unmoderated title. A thread's title at creation is moderated with its first post and has no row.
CREATE TABLE thread_title_revisions (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    thread_id  bigint      NOT NULL REFERENCES threads (id),
    -- 1, 2, ... per thread; moderation keys its decisions and review items on it.
    version    integer     NOT NULL,
    title      text        NOT NULL,
    -- superseded: a newer edit replaced it before it was published.
    status     text        NOT NULL
        CHECK (status IN ('pending', 'published', 'flagged', 'rejected', 'superseded')),
    author_id  bigint      NOT NULL REFERENCES users (id),
    created_at timestamptz NOT NULL,
    UNIQUE (thread_id, version)
);

-- Moderation judges two subjects, both keyed by a post: the post's text, and the title edits of the
-- thread the post opens (post_version is then the title revision's version).
ALTER TABLE moderation_decisions
    ADD COLUMN subject text NOT NULL DEFAULT 'post' CHECK (subject IN ('post', 'title'));
ALTER TABLE moderation_decisions DROP CONSTRAINT moderation_decisions_post_id_post_version_key;
ALTER TABLE moderation_decisions
    ADD CONSTRAINT moderation_decisions_subject_version_key UNIQUE (post_id, subject, post_version);

ALTER TABLE review_items
    ADD COLUMN subject text NOT NULL DEFAULT 'post' CHECK (subject IN ('post', 'title'));
-- At most one unresolved item per post and subject: a flagged title and a reported first post are
-- two decisions for a moderator.
DROP INDEX review_items_one_unresolved;
CREATE UNIQUE INDEX review_items_one_unresolved ON review_items (post_id, subject) WHERE state <> 'resolved';
