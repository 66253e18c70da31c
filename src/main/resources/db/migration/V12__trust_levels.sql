-- Trust levels (docs/moderation.md, "Trust levels"): 0 new, 1 basic, 2 member, 3 trusted.
-- Existing accounts start at 0 like new ones: their first decided post after this migration lifts
-- them to whatever their record earns (published posts, age, no rejections), so an old account is
-- not held by a gating policy for long, and a young one is not waved through because it predates it.
ALTER TABLE users
    ADD COLUMN trust_level        smallint NOT NULL DEFAULT 0 CHECK (trust_level BETWEEN 0 AND 3),
    -- Set by a moderator: automatic rises leave it alone until a moderator unlocks it.
    ADD COLUMN trust_level_locked boolean  NOT NULL DEFAULT false;

-- The new-account rules a decision was taken under ("new-account review: post 1 of first 3 at level 0").
ALTER TABLE moderation_decisions ADD COLUMN rules jsonb NOT NULL DEFAULT '[]'::jsonb;

-- An author's last rejection (moderation/TrustHistoryRepository) walks their posts' review items;
-- the only post_id index so far covers unresolved items.
CREATE INDEX review_items_post ON review_items (post_id);
