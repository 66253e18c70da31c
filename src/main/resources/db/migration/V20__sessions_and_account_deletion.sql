-- A session is one sign-in: the family of refresh tokens rotated from its login, and the access
-- tokens issued with them (their `sid` claim). Revoking the session ends all of them at once: the
-- account lookup every authenticated request already makes checks that the session is not revoked.
CREATE TABLE sessions (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id        bigint      NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at     timestamptz NOT NULL,
    revoked_at     timestamptz,
    revoked_reason text CHECK (revoked_reason IN ('logout', 'reuse', 'password_change', 'account_deleted'))
);
CREATE INDEX sessions_live_by_user ON sessions (user_id) WHERE revoked_at IS NULL;

-- Refresh tokens are 256 random bits; only their SHA-256 is stored, so a copy of the table opens
-- no session. A token is used once: rotation marks it used and issues the next one of its session.
CREATE TABLE refresh_tokens (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    session_id bigint      NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    token_hash bytea       NOT NULL UNIQUE,
    created_at timestamptz NOT NULL,
    expires_at timestamptz NOT NULL,
    used_at    timestamptz
);
CREATE INDEX refresh_tokens_session ON refresh_tokens (session_id);
CREATE INDEX refresh_tokens_expiry ON refresh_tokens (expires_at);

-- Account deletion keeps the row (posts, votes, reports and the audit refer to it) and removes what
-- identifies the person: email and password hash become NULL, the username a tombstone that many
-- deleted accounts share (the registration pattern cannot produce it), so only live names are unique.
ALTER TABLE users
    ALTER COLUMN email DROP NOT NULL,
    ALTER COLUMN password_hash DROP NOT NULL,
    ADD COLUMN deleted_at timestamptz;
DROP INDEX users_username_key;
CREATE UNIQUE INDEX users_username_key ON users (lower(username)) WHERE deleted_at IS NULL;
