-- A new forum starts with one category so that members can post before an admin has set any up.
INSERT INTO categories (slug, name, description, created_at)
VALUES ('general', 'General', 'Anything that fits nowhere else.', now())
ON CONFLICT (slug) DO NOTHING;
