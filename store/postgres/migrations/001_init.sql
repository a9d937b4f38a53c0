-- The store of record: one row an article, one a relation, and the
-- parameters the fingerprints were made with.
CREATE TABLE newsdedup_meta (
    key   text PRIMARY KEY,
    value text NOT NULL
);

CREATE TABLE newsdedup_articles (
    seq              bigint PRIMARY KEY,      -- arrival order, from 1
    id               text NOT NULL UNIQUE,
    input            text NOT NULL,
    url              text NOT NULL,
    source           text NOT NULL,
    title            text NOT NULL,
    published        timestamptz,             -- NULL when unknown
    published_offset integer NOT NULL,        -- the time's zone, seconds east of UTC
    fetched          timestamptz,
    lang             text NOT NULL,
    body             text[] NOT NULL,         -- paragraphs
    credits          text[] NOT NULL,
    digest           bigint NOT NULL,         -- uint64 bits
    exact            bigint NOT NULL,         -- uint64 bits
    tokens           integer NOT NULL,
    shingles         bytea NOT NULL,          -- uint64s, 8 bytes little-endian each
    sig              bytea NOT NULL,
    anchors          bytea NOT NULL,
    story            integer NOT NULL,        -- story number at arrival
    stored           timestamptz NOT NULL
);

CREATE TABLE newsdedup_relations (
    a           text NOT NULL,
    b           text NOT NULL,
    kind        text NOT NULL,
    jaccard     double precision NOT NULL,
    containment double precision NOT NULL,
    score       double precision NOT NULL,
    evidence    jsonb,
    PRIMARY KEY (a, b, kind)
);
CREATE INDEX newsdedup_relations_b ON newsdedup_relations (b);
