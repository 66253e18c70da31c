-- Read-your-writes with a read replica (README "Read replicas"): the primary's WAL position just
-- after a member's last acknowledged write, as bytes from 0/0 (pg_lsn - '0/0'). The account lookup
-- that every authenticated request makes on the primary reads it with the account, and that member's
-- reads go to a replica only once the replica has replayed past it. NULL: no write since the column
-- came, so any replica will do.
ALTER TABLE users ADD COLUMN last_write_lsn bigint;
