// Package postgres is the server-backed newsdedup store: the store of
// record a team shares, read and written by any number of processes.
//
// The schema is made and migrated by Open itself, from the numbered SQL
// files embedded from migrations/, each applied once in one transaction
// (the table newsdedup_schema says which). Articles are rows of the table
// newsdedup_articles with their fields in columns (so that SQL reads them),
// relations rows of newsdedup_relations; newsdedup_meta holds the
// fingerprint parameters, the ID scheme, the store's ID and two counters.
// Every table's name begins with newsdedup_, so a store lives beside other
// tables; a schema of its own is chosen with the URL's search_path
// parameter (postgres://.../db?search_path=news).
//
// Every Put is one transaction. Puts from any number of processes are
// serialized by a transaction-level advisory lock, so that arrival numbers
// (Seq) are given in commit order: a reader that has seen every record up
// to Seq n has missed none before it (see Since). Placement across
// processes is serialized by a second, session-level lock (see Lock).
//
// Credentials may come from the URL or from the PG* environment variables
// (PGHOST, PGUSER, PGPASSWORD, PGDATABASE, PGSSLMODE...); errors name the
// store by its URL without its password.
package postgres

import (
	"context"
	"embed"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/url"
	"path"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/puddle/v2"

	"github.com/newsdedup/newsdedup"
)

var (
	_ newsdedup.SharedStore = (*Store)(nil)
	_ newsdedup.Snapshotter = (*Store)(nil)
	_ newsdedup.Identified  = (*Store)(nil)
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// The advisory lock keys, in PostgreSQL's one 64-bit key space: "ndpu",
// "ndpl" and "ndmg" in ASCII, under a common prefix.
const (
	putLock     int64 = 0x6e64_0000_6e647075 // held by each Put's transaction
	placeLock   int64 = 0x6e64_0000_6e64706c // held by Lock's session
	migrateLock int64 = 0x6e64_0000_6e646d67 // held while the schema changes
)

var (
	// ErrNoStore is wrapped by the error of OpenExisting for a database
	// that holds no newsdedup store.
	ErrNoStore = errors.New("no store")
	// ErrReadOnly is wrapped by the error of Put on a store that
	// OpenExisting opened.
	ErrReadOnly = errors.New("store opened read-only")
	// ErrNewerSchema is wrapped by the error of Open for a database whose
	// schema a later newsdedup made.
	ErrNewerSchema = errors.New("store schema is newer than this program")
)

// IsURL reports whether db names a PostgreSQL database (a postgres:// or
// postgresql:// URL) rather than a directory.
func IsURL(db string) bool {
	l := strings.ToLower(db)
	return strings.HasPrefix(l, "postgres://") || strings.HasPrefix(l, "postgresql://")
}

// Redacted returns the URL db without its password, for messages.
func Redacted(db string) string {
	u, err := url.Parse(db)
	if err != nil {
		// The URL may hold a password where the parser failed: say
		// only which scheme it was.
		scheme, _, _ := strings.Cut(db, ":")
		return scheme + "://(unparsable URL)"
	}
	if _, ok := u.User.Password(); ok {
		u.User = url.User(u.User.Username())
	}
	q := u.Query()
	if q.Has("password") {
		q.Del("password")
		u.RawQuery = q.Encode()
	}
	return u.String()
}

// Store is a PostgreSQL-backed newsdedup.Store. It is safe for concurrent
// use, by any number of processes.
type Store struct {
	pool     *pgxpool.Pool
	queries  *counter // statements sent to the server
	name     string   // the URL without password
	params   newsdedup.Params
	readOnly bool
	id       string // see StoreID
}

// StoreID returns the ID the store was made with.
func (s *Store) StoreID() string { return s.id }

// Open connects to the database at db, makes or migrates the newsdedup
// schema in it and returns the store. A new store records p and
// newsdedup.IDScheme; an existing one made with other parameters is
// refused with an error wrapping newsdedup.ErrParamsMismatch, one of
// another ID scheme with newsdedup.ErrIDScheme.
func Open(ctx context.Context, db string, p newsdedup.Params) (*Store, error) {
	return open(ctx, db, p, false, len(migrations()))
}

// OpenExisting opens the store at db for reading only: it creates and
// migrates nothing, returns an error wrapping ErrNoStore for a database
// without a store, and its Put returns an error wrapping ErrReadOnly.
func OpenExisting(ctx context.Context, db string, p newsdedup.Params) (*Store, error) {
	return open(ctx, db, p, true, len(migrations()))
}

func open(ctx context.Context, db string, p newsdedup.Params, readOnly bool, version int) (*Store, error) {
	name := Redacted(db)
	cfg, err := pgxpool.ParseConfig(db)
	if err != nil {
		// pgx's message may quote the URL, password and all.
		return nil, fmt.Errorf("open store %s: not a valid PostgreSQL URL", name)
	}
	if cfg.ConnConfig.ConnectTimeout == 0 {
		cfg.ConnConfig.ConnectTimeout = 10 * time.Second
	}
	if cfg.ConnConfig.RuntimeParams["application_name"] == "" {
		cfg.ConnConfig.RuntimeParams["application_name"] = "newsdedup"
	}
	queries := new(counter)
	cfg.ConnConfig.Tracer = queries
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("open store %s: %w", name, err)
	}
	s := &Store{pool: pool, queries: queries, name: name, params: p, readOnly: readOnly}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("open store %s: cannot connect: %w", name, &shortError{err})
	}
	if readOnly {
		err = s.check(ctx, version)
	} else {
		err = s.setup(ctx, version)
	}
	if err != nil {
		pool.Close()
		return nil, err
	}
	return s, nil
}

// migration is one numbered schema change.
type migration struct {
	version int
	name    string
	sql     string
}

// migrations returns the embedded migrations in order: their file names
// begin with their numbers, 1, 2... without a gap.
func migrations() []migration {
	ents, err := fs.ReadDir(migrationFiles, "migrations")
	if err != nil {
		panic(err)
	}
	var out []migration
	for _, e := range ents {
		n, err := strconv.Atoi(strings.SplitN(e.Name(), "_", 2)[0])
		if err != nil || n != len(out)+1 {
			panic("postgres: migration " + e.Name() + " is out of sequence")
		}
		raw, err := migrationFiles.ReadFile(path.Join("migrations", e.Name()))
		if err != nil {
			panic(err)
		}
		out = append(out, migration{version: n, name: e.Name(), sql: string(raw)})
	}
	return out
}

// setup migrates the schema to version and checks or records the params.
func (s *Store) setup(ctx context.Context, version int) error {
	return s.tx(ctx, "set up", func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, "SELECT pg_advisory_xact_lock($1)", migrateLock); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `CREATE TABLE IF NOT EXISTS newsdedup_schema (
			version integer PRIMARY KEY,
			name    text NOT NULL,
			applied timestamptz NOT NULL DEFAULT now())`); err != nil {
			return err
		}
		var cur int
		if err := tx.QueryRow(ctx, "SELECT coalesce(max(version), 0) FROM newsdedup_schema").Scan(&cur); err != nil {
			return err
		}
		all := migrations()
		if cur > len(all) {
			return fmt.Errorf("%w: schema version %d, this program knows %d: upgrade newsdedup", ErrNewerSchema, cur, len(all))
		}
		for _, m := range all[cur:version] {
			if _, err := tx.Exec(ctx, m.sql); err != nil {
				return fmt.Errorf("migration %s: %w", m.name, err)
			}
			if _, err := tx.Exec(ctx, "INSERT INTO newsdedup_schema (version, name) VALUES ($1, $2)", m.version, m.name); err != nil {
				return err
			}
		}
		return s.checkMeta(ctx, tx, true)
	})
}

// check checks, without writing, that the database holds a store of the
// schema version and params of s.
func (s *Store) check(ctx context.Context, version int) error {
	return s.tx(ctx, "open", func(tx pgx.Tx) error {
		var exists bool
		if err := tx.QueryRow(ctx, "SELECT to_regclass('newsdedup_schema') IS NOT NULL").Scan(&exists); err != nil {
			return err
		}
		if !exists {
			return fmt.Errorf("%w in %s", ErrNoStore, s.name)
		}
		var cur int
		if err := tx.QueryRow(ctx, "SELECT coalesce(max(version), 0) FROM newsdedup_schema").Scan(&cur); err != nil {
			return err
		}
		switch {
		case cur > version:
			return fmt.Errorf("%w: schema version %d, this program knows %d: upgrade newsdedup", ErrNewerSchema, cur, version)
		case cur < version:
			return fmt.Errorf("store %s has schema version %d, this program %d: open it once with a command that writes (`newsdedup ingest` or `serve`) to migrate it", s.name, cur, version)
		}
		return s.checkMeta(ctx, tx, false)
	})
}

// checkMeta compares the store's params and ID scheme with the program's,
// recording them first in a new store when write is set.
func (s *Store) checkMeta(ctx context.Context, tx pgx.Tx, write bool) error {
	want, _ := json.Marshal(s.params)
	meta := map[string]string{}
	rows, err := tx.Query(ctx, "SELECT key, value FROM newsdedup_meta")
	if err != nil {
		return err
	}
	for rows.Next() {
		var k, v string
		if err := rows.Scan(&k, &v); err != nil {
			return err
		}
		meta[k] = v
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if _, ok := meta["params"]; !ok && write {
		s.id = newsdedup.NewStoreID()
		_, err := tx.Exec(ctx, `INSERT INTO newsdedup_meta (key, value) VALUES
			('params', $1), ('idscheme', $2), ('articles', '0'), ('relations', '0'), ('store_id', $3)`,
			string(want), strconv.Itoa(newsdedup.IDScheme), s.id)
		return err
	}
	s.id = meta["store_id"]
	var got newsdedup.Params
	if err := json.Unmarshal([]byte(meta["params"]), &got); err != nil {
		return fmt.Errorf("store %s: params %q do not decode: %v", s.name, meta["params"], err)
	}
	if got != s.params {
		return fmt.Errorf("%w: store %s has %+v, engine %+v", newsdedup.ErrParamsMismatch, s.name, got, s.params)
	}
	if meta["idscheme"] != strconv.Itoa(newsdedup.IDScheme) {
		return fmt.Errorf("%w: store %s holds IDs of scheme %s, this program makes scheme %d: ingest the inputs into a new store",
			newsdedup.ErrIDScheme, s.name, meta["idscheme"], newsdedup.IDScheme)
	}
	if s.id == "" && write {
		// A store made before store IDs.
		id := newsdedup.NewStoreID()
		if _, err := tx.Exec(ctx, "INSERT INTO newsdedup_meta (key, value) VALUES ('store_id', $1) ON CONFLICT (key) DO NOTHING", id); err != nil {
			return err
		}
		return tx.QueryRow(ctx, "SELECT value FROM newsdedup_meta WHERE key = 'store_id'").Scan(&s.id)
	}
	return nil
}

// tx runs fn in a transaction, committed if fn returns nil.
func (s *Store) tx(ctx context.Context, what string, fn func(pgx.Tx) error) error {
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return s.wrap(what, err)
	}
	defer tx.Rollback(context.WithoutCancel(ctx))
	if err := fn(tx); err != nil {
		return s.wrap(what, err)
	}
	return s.wrap(what, tx.Commit(ctx))
}

// wrap names the store in err, unless err is one of the store's own.
func (s *Store) wrap(what string, err error) error {
	var ne *newsdedup.Error
	switch {
	case err == nil:
		return nil
	case errors.As(err, &ne), errors.Is(err, ErrNoStore), errors.Is(err, ErrNewerSchema),
		errors.Is(err, newsdedup.ErrParamsMismatch), errors.Is(err, newsdedup.ErrIDScheme),
		errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return err
	}
	if IsUnavailable(err) {
		return fmt.Errorf("%s: store %s: %w: %w", what, s.name, newsdedup.ErrUnavailable, err)
	}
	return fmt.Errorf("%s: store %s: %w", what, s.name, err)
}

// Ping checks that the server answers.
func (s *Store) Ping(ctx context.Context) error {
	return s.wrap("ping", s.pool.Ping(ctx))
}

// Params returns the parameters the store was made with.
func (s *Store) Params() newsdedup.Params { return s.params }

// Close closes the store's connections.
func (s *Store) Close() error {
	s.pool.Close()
	return nil
}

// ints packs xs into bytes, 8 a number, little-endian.
func ints(xs []uint64) []byte {
	b := make([]byte, 8*len(xs))
	for i, x := range xs {
		binary.LittleEndian.PutUint64(b[8*i:], x)
	}
	return b
}

// unints unpacks what ints packed.
func unints(b []byte) ([]uint64, error) {
	if len(b)%8 != 0 {
		return nil, fmt.Errorf("%d bytes is not a list of 8-byte numbers", len(b))
	}
	if len(b) == 0 {
		return nil, nil
	}
	xs := make([]uint64, len(b)/8)
	for i := range xs {
		xs[i] = binary.LittleEndian.Uint64(b[8*i:])
	}
	return xs, nil
}

// when returns t for a nullable timestamptz column: nil when zero.
func when(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

// offset returns t's zone offset in seconds east of UTC.
func offset(t time.Time) int {
	_, off := t.Zone()
	return off
}

var articleColumns = []string{"seq", "id", "input", "url", "source", "title", "published", "published_offset", "fetched",
	"lang", "body", "credits", "digest", "exact", "tokens", "shingles", "sig", "anchors", "story", "stored"}

var selectRecord = "SELECT " + strings.Join(articleColumns, ", ") + " FROM newsdedup_articles"

// row returns r as the values of articleColumns.
func row(r *newsdedup.Record) []any {
	a := &r.Article
	body, credits := a.Body, a.Credits
	if body == nil {
		body = []string{}
	}
	if credits == nil {
		credits = []string{}
	}
	return []any{int64(r.Seq), string(a.ID), a.Input, a.URL, a.Source, a.Title, when(a.Published), offset(a.Published), when(a.Fetched),
		a.Lang, body, credits, int64(a.Digest), int64(r.Exact), r.Tokens, ints(r.Shingles), ints(r.Sig), ints(r.Anchors), r.Story, r.Stored}
}

// scanRecord reads one row of selectRecord.
func scanRecord(rows pgx.Row) (*newsdedup.Record, error) {
	var (
		r                      newsdedup.Record
		a                      = &r.Article
		seq, digest, exact     int64
		id                     string
		published, fetched     *time.Time
		off                    int
		shingles, sig, anchors []byte
	)
	err := rows.Scan(&seq, &id, &a.Input, &a.URL, &a.Source, &a.Title, &published, &off, &fetched,
		&a.Lang, &a.Body, &a.Credits, &digest, &exact, &r.Tokens, &shingles, &sig, &anchors, &r.Story, &r.Stored)
	if err != nil {
		return nil, err
	}
	r.Seq, a.ID, a.Digest, r.Exact = uint64(seq), newsdedup.ArticleID(id), uint64(digest), uint64(exact)
	if published != nil {
		a.Published = zoned(*published, off)
	}
	if fetched != nil {
		a.Fetched = fetched.UTC()
	}
	r.Stored = r.Stored.UTC()
	if len(a.Credits) == 0 {
		a.Credits = nil
	}
	for _, f := range []struct {
		dst *[]uint64
		raw []byte
	}{{&r.Shingles, shingles}, {&r.Sig, sig}, {&r.Anchors, anchors}} {
		if *f.dst, err = unints(f.raw); err != nil {
			return nil, fmt.Errorf("article %s: %w", id, err)
		}
	}
	return &r, nil
}

// zoned returns t in the zone off seconds east of UTC.
func zoned(t time.Time, off int) time.Time {
	if off == 0 {
		return t.UTC()
	}
	return t.In(time.FixedZone("", off))
}

// relationKey identifies a relation as the store does: one per pair and
// kind.
type relationKey struct {
	a, b newsdedup.ArticleID
	kind newsdedup.Kind
}

// Put stores recs and rels in one transaction. A relation of the pair and
// kind of one stored replaces it.
func (s *Store) Put(ctx context.Context, recs []*newsdedup.Record, rels []newsdedup.Relation) error {
	if s.readOnly {
		return fmt.Errorf("put: store %s: %w (by a command that only reads it)", s.name, ErrReadOnly)
	}
	ids := make([]string, len(recs))
	seen := make(map[string]bool, len(recs))
	for k, r := range recs {
		id := string(r.Article.ID)
		if seen[id] {
			return newsdedup.Errorf(newsdedup.EINVALID, "article %s is stored already", id)
		}
		seen[id], ids[k] = true, id
	}
	// One relation a key, the last given, as the store keeps them.
	last := make(map[relationKey]int, len(rels))
	for k, rel := range rels {
		last[relationKey{rel.A, rel.B, rel.Kind}] = k
	}
	return s.tx(ctx, "put", func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, "SELECT pg_advisory_xact_lock($1)", putLock); err != nil {
			return err
		}
		if len(recs) > 0 {
			var dup string
			err := tx.QueryRow(ctx, "SELECT id FROM newsdedup_articles WHERE id = ANY($1) LIMIT 1", ids).Scan(&dup)
			switch {
			case err == nil:
				return newsdedup.Errorf(newsdedup.EINVALID, "article %s is stored already", dup)
			case !errors.Is(err, pgx.ErrNoRows):
				return err
			}
			var seq int64
			if err := tx.QueryRow(ctx, "SELECT coalesce(max(seq), 0) FROM newsdedup_articles").Scan(&seq); err != nil {
				return err
			}
			now := time.Now().UTC()
			rows := make([][]any, len(recs))
			for k, r := range recs {
				seq++
				r.Seq = uint64(seq)
				if r.Stored.IsZero() {
					r.Stored = now
				}
				rows[k] = row(r)
			}
			if _, err := tx.CopyFrom(ctx, pgx.Identifier{"newsdedup_articles"}, articleColumns, pgx.CopyFromRows(rows)); err != nil {
				return err
			}
		}
		added := 0
		if len(last) > 0 {
			n := len(last)
			as, bs, kinds := make([]string, 0, n), make([]string, 0, n), make([]string, 0, n)
			js, cs, scores := make([]float64, 0, n), make([]float64, 0, n), make([]float64, 0, n)
			evs := make([]*string, 0, n)
			for k, rel := range rels {
				if last[relationKey{rel.A, rel.B, rel.Kind}] != k {
					continue
				}
				as, bs, kinds = append(as, string(rel.A)), append(bs, string(rel.B)), append(kinds, string(rel.Kind))
				js, cs, scores = append(js, rel.Jaccard), append(cs, rel.Containment), append(scores, rel.Score)
				var ev *string
				if rel.Evidence != nil {
					raw, err := json.Marshal(rel.Evidence)
					if err != nil {
						return err
					}
					e := string(raw)
					ev = &e
				}
				evs = append(evs, ev)
			}
			rows, err := tx.Query(ctx, `INSERT INTO newsdedup_relations AS r (a, b, kind, jaccard, containment, score, evidence)
				SELECT a, b, kind, j, c, s, e::jsonb
				FROM unnest($1::text[], $2::text[], $3::text[], $4::float8[], $5::float8[], $6::float8[], $7::text[]) AS t(a, b, kind, j, c, s, e)
				ON CONFLICT (a, b, kind) DO UPDATE SET jaccard = excluded.jaccard, containment = excluded.containment,
					score = excluded.score, evidence = excluded.evidence
				RETURNING (xmax = 0)`, as, bs, kinds, js, cs, scores, evs)
			if err != nil {
				return err
			}
			for rows.Next() {
				var inserted bool
				if err := rows.Scan(&inserted); err != nil {
					return err
				}
				if inserted {
					added++
				}
			}
			if err := rows.Err(); err != nil {
				return err
			}
		}
		_, err := tx.Exec(ctx, `UPDATE newsdedup_meta SET value = (value::bigint + CASE key WHEN 'articles' THEN $1::bigint ELSE $2::bigint END)::text
			WHERE key IN ('articles', 'relations')`, len(recs), added)
		return err
	})
}

// Get returns the record of id, or an ENOTFOUND error.
func (s *Store) Get(ctx context.Context, id newsdedup.ArticleID) (*newsdedup.Record, error) {
	r, err := scanRecord(s.pool.QueryRow(ctx, selectRecord+" WHERE id = $1", string(id)))
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, newsdedup.Errorf(newsdedup.ENOTFOUND, "no article %s", id)
	}
	return r, s.wrap("get", err)
}

// Has reports whether id is stored.
func (s *Store) Has(ctx context.Context, id newsdedup.ArticleID) (bool, error) {
	var ok bool
	err := s.pool.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM newsdedup_articles WHERE id = $1)", string(id)).Scan(&ok)
	return ok, s.wrap("has", err)
}

// Each calls fn with every record in arrival order. It reads the records
// as of its start, streaming.
func (s *Store) Each(ctx context.Context, fn func(*newsdedup.Record) error) error {
	return s.each(ctx, selectRecord+" ORDER BY seq", fn)
}

func (s *Store) each(ctx context.Context, query string, fn func(*newsdedup.Record) error, args ...any) error {
	rows, err := s.pool.Query(ctx, query, args...)
	if err != nil {
		return s.wrap("read articles", err)
	}
	defer rows.Close()
	for rows.Next() {
		r, err := scanRecord(rows)
		if err != nil {
			return s.wrap("read articles", err)
		}
		if err := fn(r); err != nil {
			return err
		}
	}
	return s.wrap("read articles", rows.Err())
}

const selectRelation = "SELECT a, b, kind, jaccard, containment, score, evidence FROM newsdedup_relations"

func scanRelation(rows pgx.Row) (newsdedup.Relation, error) {
	var (
		rel      newsdedup.Relation
		a, b, k  string
		evidence []byte
	)
	if err := rows.Scan(&a, &b, &k, &rel.Jaccard, &rel.Containment, &rel.Score, &evidence); err != nil {
		return rel, err
	}
	rel.A, rel.B, rel.Kind = newsdedup.ArticleID(a), newsdedup.ArticleID(b), newsdedup.Kind(k)
	if evidence != nil {
		rel.Evidence = new(newsdedup.Evidence)
		if err := json.Unmarshal(evidence, rel.Evidence); err != nil {
			return rel, fmt.Errorf("relation %s %s %s: evidence does not decode: %v", a, b, k, err)
		}
	}
	return rel, nil
}

func (s *Store) relations(ctx context.Context, query string, fn func(newsdedup.Relation) error, args ...any) error {
	rows, err := s.pool.Query(ctx, query, args...)
	if err != nil {
		return s.wrap("read relations", err)
	}
	defer rows.Close()
	for rows.Next() {
		rel, err := scanRelation(rows)
		if err != nil {
			return s.wrap("read relations", err)
		}
		if err := fn(rel); err != nil {
			return err
		}
	}
	return s.wrap("read relations", rows.Err())
}

// EachRelation calls fn with every stored relation.
func (s *Store) EachRelation(ctx context.Context, fn func(newsdedup.Relation) error) error {
	return s.relations(ctx, selectRelation, fn)
}

// Relations returns the relations that involve id.
func (s *Store) Relations(ctx context.Context, id newsdedup.ArticleID) ([]newsdedup.Relation, error) {
	var out []newsdedup.Relation
	err := s.relations(ctx, selectRelation+" WHERE a = $1 UNION ALL "+selectRelation+" WHERE b = $1 AND a <> $1 ORDER BY 1, 2, 3",
		func(r newsdedup.Relation) error { out = append(out, r); return nil }, string(id))
	return out, err
}

// Counts returns the number of records and of relations, from two
// counters Put keeps.
func (s *Store) Counts(ctx context.Context) (int, int, error) {
	var a, r int
	err := s.pool.QueryRow(ctx, `SELECT
		(SELECT value::bigint FROM newsdedup_meta WHERE key = 'articles'),
		(SELECT value::bigint FROM newsdedup_meta WHERE key = 'relations')`).Scan(&a, &r)
	return a, r, s.wrap("count", err)
}

// Since returns the records stored after arrival number seq, in arrival
// order, at most limit of them, with the relations whose later article
// (B) is one of them. Since Puts commit in the order of their numbers, a
// caller that has read every record up to seq misses none by asking for
// those after it.
func (s *Store) Since(ctx context.Context, seq uint64, limit int) ([]*newsdedup.Record, []newsdedup.Relation, error) {
	var recs []*newsdedup.Record
	err := s.each(ctx, selectRecord+" WHERE seq > $1 ORDER BY seq LIMIT $2",
		func(r *newsdedup.Record) error { recs = append(recs, r); return nil }, int64(seq), limit)
	if err != nil || len(recs) == 0 {
		return nil, nil, err
	}
	ids := make([]string, len(recs))
	for k, r := range recs {
		ids[k] = string(r.Article.ID)
	}
	var rels []newsdedup.Relation
	err = s.relations(ctx, selectRelation+" WHERE b = ANY($1) ORDER BY a, b, kind",
		func(r newsdedup.Relation) error { rels = append(rels, r); return nil }, ids)
	return recs, rels, err
}

// Lock takes the store's placement lock, a session-level advisory lock
// that one process at a time holds, waiting for it as long as ctx allows.
// unlock releases it; a process that dies releases it with its session.
func (s *Store) Lock(ctx context.Context) (unlock func(), err error) {
	conn, err := s.pool.Acquire(ctx)
	if err != nil {
		return nil, s.wrap("lock", err)
	}
	if _, err := conn.Exec(ctx, "SELECT pg_advisory_lock($1)", placeLock); err != nil {
		conn.Release()
		return nil, s.wrap("lock", err)
	}
	return func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if _, err := conn.Exec(ctx, "SELECT pg_advisory_unlock($1)", placeLock); err != nil {
			// Ending the session releases the lock.
			conn.Conn().Close(ctx)
		}
		conn.Release()
	}, nil
}

// IsUnavailable reports whether err says the server could not be reached
// or went away (a connection refused, reset or cut, a server shutting
// down), which a retry may mend, rather than an error of the data.
func IsUnavailable(err error) bool {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		// Class 08: connection exception; 57P01-03: shutdown.
		return strings.HasPrefix(pe.Code, "08") || slices.Contains([]string{"57P01", "57P02", "57P03"}, pe.Code)
	}
	var ce *pgconn.ConnectError
	var ne net.Error
	return errors.As(err, &ce) || errors.As(err, &ne) || pgconn.SafeToRetry(err) || pgconn.Timeout(err) ||
		errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) || errors.Is(err, net.ErrClosed) ||
		errors.Is(err, puddle.ErrClosedPool)
}

// PutSnapshot keeps data as the snapshot as of arrival number seq, unless
// one of a later number is kept.
func (s *Store) PutSnapshot(ctx context.Context, seq uint64, data []byte) error {
	if s.readOnly {
		return fmt.Errorf("put snapshot: store %s: %w", s.name, ErrReadOnly)
	}
	return s.tx(ctx, "put snapshot", func(tx pgx.Tx) error {
		var later bool
		if err := tx.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM newsdedup_snapshots WHERE seq >= $1)", int64(seq)).Scan(&later); err != nil || later {
			return err
		}
		if _, err := tx.Exec(ctx, "INSERT INTO newsdedup_snapshots (seq, data) VALUES ($1, $2)", int64(seq), data); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, "DELETE FROM newsdedup_snapshots WHERE seq < $1", int64(seq))
		return err
	})
}

// Snapshot returns the latest snapshot and its arrival number, or 0 and
// nil.
func (s *Store) Snapshot(ctx context.Context) (uint64, []byte, error) {
	var seq int64
	var data []byte
	err := s.pool.QueryRow(ctx, "SELECT seq, data FROM newsdedup_snapshots ORDER BY seq DESC LIMIT 1").Scan(&seq, &data)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, nil, nil
	}
	if err != nil {
		return 0, nil, s.wrap("read snapshot", err)
	}
	return uint64(seq), data, nil
}

// counter counts the statements (queries, commands, COPYs) the store
// sends, for figures of the server's work per article.
type counter struct{ n atomic.Int64 }

func (c *counter) TraceQueryStart(ctx context.Context, _ *pgx.Conn, _ pgx.TraceQueryStartData) context.Context {
	c.n.Add(1)
	return ctx
}

func (c *counter) TraceQueryEnd(context.Context, *pgx.Conn, pgx.TraceQueryEndData) {}

func (c *counter) TraceCopyFromStart(ctx context.Context, _ *pgx.Conn, _ pgx.TraceCopyFromStartData) context.Context {
	c.n.Add(1)
	return ctx
}

func (c *counter) TraceCopyFromEnd(context.Context, *pgx.Conn, pgx.TraceCopyFromEndData) {}

// Statements returns the number of statements the store has sent to the
// server since it was opened: queries, commands (BEGIN and COMMIT among
// them) and COPYs.
func (s *Store) Statements() int64 { return s.queries.n.Load() }

// shortError is err said in one line: pgx's connection errors list every
// address and attempt (TLS first, then plain) over several lines, the
// cause last.
type shortError struct{ err error }

func (e *shortError) Error() string {
	lines := strings.Split(strings.TrimSpace(e.err.Error()), "\n")
	last := strings.TrimSpace(lines[len(lines)-1])
	if len(lines) > 1 {
		first, _, _ := strings.Cut(lines[0], ":")
		return first + ": " + last
	}
	return last
}

func (e *shortError) Unwrap() error { return e.err }
