-- The engine's state as of an arrival number, so that a store of many
-- articles opens without replaying them all. Only the latest is kept.
CREATE TABLE newsdedup_snapshots (
    seq   bigint PRIMARY KEY,
    taken timestamptz NOT NULL DEFAULT now(),
    data  bytea NOT NULL
);
