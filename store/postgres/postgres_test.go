package postgres

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/newsdedup/newsdedup"
	"github.com/newsdedup/newsdedup/store/postgres/pgtest"
	"github.com/newsdedup/newsdedup/store/storetest"
)

func TestConformance(t *testing.T) {
	pgtest.Server(t)
	var mu sync.Mutex
	dbs := map[string]string{} // the suite's directory -> a database of its own
	storetest.Run(t, func(tb testing.TB, dir string, p newsdedup.Params) (newsdedup.Store, error) {
		db := func() string {
			// Unlocked by defer: pgtest.DB ends the test (runtime.Goexit)
			// when the server is gone, and a lock held then hung the
			// other subtests until the test binary's timeout.
			mu.Lock()
			defer mu.Unlock()
			db, ok := dbs[dir]
			if !ok {
				db = pgtest.DB(tb)
				dbs[dir] = db
			}
			return db
		}()
		return Open(context.Background(), db, p)
	})
}

func rec(id string) *newsdedup.Record {
	return &newsdedup.Record{
		Article: newsdedup.Article{ID: newsdedup.ArticleID(id), Title: "t " + id, Body: []string{"one " + id, "two"},
			Published: time.Date(2023, 7, 13, 9, 30, 0, 0, time.FixedZone("", 2*3600)), Credits: []string{"AFP"}, Digest: 1 << 63},
		Exact: ^uint64(0), Tokens: 4, Shingles: []uint64{1, 1 << 63}, Sig: []uint64{7}, Story: 3,
	}
}

func TestRoundTrip(t *testing.T) {
	ctx := context.Background()
	s, err := Open(ctx, pgtest.DB(t), newsdedup.DefaultParams)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	want := rec("a")
	if err := s.Put(ctx, []*newsdedup.Record{want}, nil); err != nil {
		t.Fatal(err)
	}
	got, err := s.Get(ctx, "a")
	if err != nil {
		t.Fatal(err)
	}
	if got.Article.Published.String() != want.Article.Published.String() {
		t.Errorf("published %v, want %v (zone kept)", got.Article.Published, want.Article.Published)
	}
	if got.Exact != want.Exact || got.Article.Digest != want.Article.Digest || !slices.Equal(got.Shingles, want.Shingles) ||
		!slices.Equal(got.Article.Credits, want.Article.Credits) || !slices.Equal(got.Article.Body, want.Article.Body) ||
		got.Story != 3 || !got.Article.Fetched.IsZero() || got.Anchors != nil {
		t.Errorf("got %+v\nwant %+v", got, want)
	}
}

func TestMigrateFromPrevious(t *testing.T) {
	ctx := context.Background()
	db := pgtest.DB(t)
	all := migrations()
	if len(all) < 2 {
		t.Fatalf("%d migrations: the test needs a previous version", len(all))
	}
	old, err := open(ctx, db, newsdedup.DefaultParams, false, len(all)-1)
	if err != nil {
		t.Fatal(err)
	}
	if err := old.Put(ctx, []*newsdedup.Record{rec("a")}, []newsdedup.Relation{{A: "x", B: "a", Kind: newsdedup.KindReprint, Evidence: &newsdedup.Evidence{Kept: 2}}}); err != nil {
		t.Fatal(err)
	}
	old.Close()
	// A reader does not migrate: it says what to run.
	if _, err := OpenExisting(ctx, db, newsdedup.DefaultParams); err == nil || !strings.Contains(err.Error(), "to migrate it") {
		t.Errorf("OpenExisting of an old schema: %v, want a refusal saying how to migrate", err)
	}
	s, err := Open(ctx, db, newsdedup.DefaultParams)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var versions []int
	rows, err := s.pool.Query(ctx, "SELECT version FROM newsdedup_schema ORDER BY version")
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var v int
		rows.Scan(&v)
		versions = append(versions, v)
	}
	if len(versions) != len(all) || versions[len(versions)-1] != len(all) {
		t.Errorf("schema versions %v, want 1..%d", versions, len(all))
	}
	if r, err := s.Get(ctx, "a"); err != nil || r.Seq != 1 {
		t.Errorf("record after migration: %+v, %v", r, err)
	}
	if rels, err := s.Relations(ctx, "a"); err != nil || len(rels) != 1 || rels[0].Evidence.Kept != 2 {
		t.Errorf("relations after migration: %+v, %v", rels, err)
	}
	// Opening again applies nothing twice.
	s2, err := Open(ctx, db, newsdedup.DefaultParams)
	if err != nil {
		t.Fatal(err)
	}
	s2.Close()
	// A schema from a later program is refused, not written to.
	if _, err := s.pool.Exec(ctx, "INSERT INTO newsdedup_schema (version, name) VALUES ($1, 'future')", len(all)+1); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(ctx, db, newsdedup.DefaultParams); !errors.Is(err, ErrNewerSchema) {
		t.Errorf("Open of a newer schema: %v, want ErrNewerSchema", err)
	}
}

func TestOpenExisting(t *testing.T) {
	ctx := context.Background()
	db := pgtest.DB(t)
	if _, err := OpenExisting(ctx, db, newsdedup.DefaultParams); !errors.Is(err, ErrNoStore) {
		t.Fatalf("OpenExisting of an empty database: %v, want ErrNoStore", err)
	}
	s, err := Open(ctx, db, newsdedup.DefaultParams)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	r, err := OpenExisting(ctx, db, newsdedup.DefaultParams)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if err := r.Put(ctx, []*newsdedup.Record{rec("a")}, nil); !errors.Is(err, ErrReadOnly) {
		t.Errorf("Put on a read-only store: %v, want ErrReadOnly", err)
	}
}

// Writers in several processes (here, several pools) get arrival numbers
// without gaps or repeats, in commit order, and Since sees each record
// once.
func TestConcurrentWriters(t *testing.T) {
	ctx := context.Background()
	db := pgtest.DB(t)
	const writers, puts, per = 4, 10, 5
	stores := make([]*Store, writers)
	for k := range stores {
		s, err := Open(ctx, db, newsdedup.DefaultParams)
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		stores[k] = s
	}
	var wg sync.WaitGroup
	errs := make(chan error, writers*puts)
	for k, s := range stores {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for p := range puts {
				var recs []*newsdedup.Record
				for r := range per {
					recs = append(recs, rec(fmt.Sprintf("w%d-p%d-r%d", k, p, r)))
				}
				rels := []newsdedup.Relation{{A: recs[0].Article.ID, B: recs[1].Article.ID, Kind: newsdedup.KindExact}}
				if err := s.Put(ctx, recs, rels); err != nil {
					errs <- err
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	var seqs []uint64
	var seen uint64
	for {
		recs, rels, err := stores[0].Since(ctx, seen, 7)
		if err != nil {
			t.Fatal(err)
		}
		if len(recs) == 0 {
			break
		}
		for _, r := range recs {
			seqs = append(seqs, r.Seq)
			seen = r.Seq
		}
		for _, rel := range rels {
			if !slices.ContainsFunc(recs, func(r *newsdedup.Record) bool { return r.Article.ID == rel.B }) {
				t.Errorf("Since returned relation %v whose B is not among its records", rel)
			}
		}
	}
	if len(seqs) != writers*puts*per || seqs[0] != 1 || seqs[len(seqs)-1] != uint64(len(seqs)) {
		t.Errorf("arrival numbers %d..%d of %d records", seqs[0], seqs[len(seqs)-1], len(seqs))
	}
	if a, r, err := stores[1].Counts(ctx); a != writers*puts*per || r != writers*puts || err != nil {
		t.Errorf("Counts=%d,%d,%v", a, r, err)
	}
}

// Lock is held by one store at a time.
func TestLock(t *testing.T) {
	ctx := context.Background()
	db := pgtest.DB(t)
	a, err := Open(ctx, db, newsdedup.DefaultParams)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	b, err := Open(ctx, db, newsdedup.DefaultParams)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	unlock, err := a.Lock(ctx)
	if err != nil {
		t.Fatal(err)
	}
	short, cancel := context.WithTimeout(ctx, 300*time.Millisecond)
	defer cancel()
	if _, err := b.Lock(short); err == nil {
		t.Fatal("a second process took the placement lock while the first held it")
	}
	unlock()
	unlockB, err := b.Lock(ctx)
	if err != nil {
		t.Fatalf("lock after release: %v", err)
	}
	unlockB()
}

func TestPasswordNeverPrinted(t *testing.T) {
	const secret = "s3cret-Pa55"
	for _, db := range []string{
		"postgres://alice:" + secret + "@127.0.0.1:1/news?connect_timeout=2",
		"postgresql://alice@127.0.0.1:1/news?password=" + secret + "&connect_timeout=2",
		"postgres://alice:" + secret + "@[::1/news", // unparsable
	} {
		_, err := Open(context.Background(), db, newsdedup.DefaultParams)
		if err == nil {
			t.Fatalf("Open(%s) reached a server on port 1", Redacted(db))
		}
		if strings.Contains(err.Error(), secret) {
			t.Errorf("error prints the password: %v", err)
		}
		if !strings.Contains(err.Error(), "alice") && !strings.Contains(err.Error(), "unparsable") {
			t.Errorf("error does not name the store: %v", err)
		}
	}
}
