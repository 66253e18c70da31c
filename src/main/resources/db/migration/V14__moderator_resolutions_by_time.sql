-- Moderators' resolutions by time: calibration reads them over a period, and the transparency
-- export walks them in (resolved_at, id) order page by page.
CREATE INDEX review_items_resolved_by_moderator ON review_items (resolved_at, id) WHERE resolved_by IS NOT NULL;
