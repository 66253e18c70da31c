CREATE TABLE users (
    id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    username          text        NOT NULL,
    email             text        NOT NULL,
    password_hash     text        NOT NULL,
    role              text        NOT NULL DEFAULT 'member' CHECK (role IN ('member', 'moderator', 'admin')),
    suspended_at      timestamptz,
    suspended_by      bigint REFERENCES users (id),
    suspension_reason text,
    created_at        timestamptz NOT NULL
);

-- Usernames and emails are unique regardless of case; lookups use the same expressions.
CREATE UNIQUE INDEX users_username_key ON users (lower(username));
CREATE UNIQUE INDEX users_email_key ON users (lower(email));
