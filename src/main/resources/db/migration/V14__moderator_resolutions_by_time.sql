-- Moderators' resolutions by time: calibration reads them over a period, and the transparency
-- export walks them in (resolved_at, id) order page by page.
CREATE INDEX review_items_resolved_by_moderator ON review_items (resolved_at, id) WHERE resolved_by IS NOT NULL;
-- The export's automated restrictions in (created_at, id) order. The approval that lifted a flag is
-- found through V13's review_items_post_version.
CREATE INDEX moderation_decisions_restrictions ON moderation_decisions (created_at, id) WHERE decision <> 'published';
