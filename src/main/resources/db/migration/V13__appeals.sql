-- Appeals (issue 14): an author's appeal of a flag or rejection is a review item of its own kind,
-- decided with uphold or overturn. The queue keeps at most one unresolved item per post
-- (review_items_one_unresolved is unchanged): appealing a flag that still waits for a moderator
-- turns its open item into the appeal, so the moderator decides the flag and the appeal at once.
ALTER TABLE review_items
    ADD COLUMN kind text NOT NULL DEFAULT 'review' CHECK (kind IN ('review', 'appeal'));

ALTER TABLE review_items DROP CONSTRAINT review_items_resolution_check;
ALTER TABLE review_items
    ADD CONSTRAINT review_items_resolution_check
        CHECK (resolution IN ('approve', 'reject', 'superseded', 'uphold', 'overturn'));

-- A moderator's verdict on a post version, found by post: the statement of reasons and the
-- "human decisions stand" check read it.
CREATE INDEX review_items_post_version ON review_items (post_id, post_version) WHERE resolved_by IS NOT NULL;

-- What was appealed and by whom; the outcome is the resolution of the appeal's review item.
CREATE TABLE appeals (
    id                  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    review_item_id      bigint      NOT NULL UNIQUE REFERENCES review_items (id),
    post_id             bigint      NOT NULL REFERENCES posts (id),
    post_version        integer     NOT NULL,
    author_id           bigint      NOT NULL REFERENCES users (id),
    message             text        NOT NULL,
    created_at          timestamptz NOT NULL,
    -- The decision under appeal: its outcome, the automated decision behind it (scores, thresholds,
    -- policy version), and, when a moderator took it, their resolved review item and who they are.
    original_decision   text        NOT NULL CHECK (original_decision IN ('flagged', 'rejected')),
    original_decision_id bigint REFERENCES moderation_decisions (id),
    original_item_id    bigint REFERENCES review_items (id),
    original_by         bigint REFERENCES users (id)
);
-- Once per decision: the automated decision of a post version (no original item), or one
-- moderator's resolution of it. An edit makes a new version with decisions of its own.
CREATE UNIQUE INDEX appeals_once_per_decision ON appeals (post_id, post_version, coalesce(original_item_id, 0));
