-- Accounts of an external OpenID Connect provider: the provider's stable (issuer, subject) pair
-- names the Parley account it was first seen with. Unique, so two first requests of one person
-- racing each other end with one account. Deleting the account deletes the link.
CREATE TABLE external_identities (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    issuer     text        NOT NULL,
    subject    text        NOT NULL,
    user_id    bigint      NOT NULL UNIQUE REFERENCES users (id) ON DELETE CASCADE,
    created_at timestamptz NOT NULL,
    UNIQUE (issuer, subject)
);
