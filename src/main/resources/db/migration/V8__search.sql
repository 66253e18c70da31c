-- Created by the provisioning script as superuser; IF NOT EXISTS lets the app role pass here.
CREATE EXTENSION IF NOT EXISTS vector;

-- Search state shared by every instance, e.g. the active embedding model.
CREATE TABLE search_settings (
    key   text PRIMARY KEY,
    value text NOT NULL
);

-- One row per post, chunk and embedding model. The vector column has no fixed dimension so that
-- models of different sizes live side by side; each model gets its own partial HNSW index over a
-- cast to its dimension, created by the service for the models it uses.
CREATE TABLE post_embeddings (
    model        text        NOT NULL,
    post_id      bigint      NOT NULL REFERENCES posts (id),
    chunk        integer     NOT NULL,
    -- The post version whose text this row embeds; queries use only rows of the current version.
    post_version integer     NOT NULL,
    -- sha-256 of model and chunk text: an unchanged chunk is never embedded twice.
    digest       text        NOT NULL,
    snippet      text        NOT NULL,
    embedding    vector      NOT NULL,
    embedded_at  timestamptz NOT NULL,
    PRIMARY KEY (model, post_id, chunk)
);
CREATE INDEX post_embeddings_post ON post_embeddings (post_id);

-- Full-text documents for keyword search: the thread title (weight A) counts with the first post.
CREATE TABLE search_documents (
    post_id      bigint PRIMARY KEY REFERENCES posts (id),
    post_version integer     NOT NULL,
    document     tsvector    NOT NULL,
    updated_at   timestamptz NOT NULL
);
CREATE INDEX search_documents_fts ON search_documents USING gin (document);
