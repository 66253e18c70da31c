-- Runs once, as the superuser, when the compose database is first created.
CREATE EXTENSION IF NOT EXISTS vector;
CREATE DATABASE parley_test OWNER parley;
\connect parley_test
CREATE EXTENSION IF NOT EXISTS vector;
