package bolt_test

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	bbolt "go.etcd.io/bbolt"

	"github.com/newsdedup/newsdedup"
	"github.com/newsdedup/newsdedup/store/bolt"
	"github.com/newsdedup/newsdedup/store/storetest"
)

func TestStore(t *testing.T) {
	storetest.Run(t, func(tb testing.TB, dir string, p newsdedup.Params) (newsdedup.Store, error) {
		return bolt.Open(dir, p)
	})
}

// TestStoreOldLayout runs the suite on stores of the first layout, keyed
// by article ID, as stores made before 2026-12-01 are.
func TestStoreOldLayout(t *testing.T) {
	storetest.Run(t, func(tb testing.TB, dir string, p newsdedup.Params) (newsdedup.Store, error) {
		return bolt.OpenOldLayout(dir, p)
	})
}

// MustOpenOldStore is MustOpenStore, but a new store is made in the first
// layout.
func MustOpenOldStore(tb testing.TB, dir string) *bolt.Store {
	tb.Helper()
	s, err := bolt.OpenOldLayout(dir, newsdedup.DefaultParams)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { s.Close() })
	return s
}

// MustOpenStore opens (creating) the store in dir and closes it when the
// test ends.
func MustOpenStore(tb testing.TB, dir string) *bolt.Store {
	tb.Helper()
	s, err := bolt.Open(dir, newsdedup.DefaultParams)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { s.Close() })
	return s
}

// MustFillStore makes a store in dir of n articles, stored by several Puts
// with relations between neighbours, so that its file has many data pages,
// and closes it.
func MustFillStore(tb testing.TB, dir string, n int) {
	tb.Helper()
	fill(tb, MustOpenStore(tb, dir), n)
}

// MustFillOldStore is MustFillStore in the first layout.
func MustFillOldStore(tb testing.TB, dir string, n int) {
	tb.Helper()
	fill(tb, MustOpenOldStore(tb, dir), n)
}

// fill stores n articles in s as MustFillStore says, and closes s.
func fill(tb testing.TB, s *bolt.Store, n int) {
	tb.Helper()
	ctx := context.Background()
	for start := 0; start < n; start += 20 {
		var recs []*newsdedup.Record
		var rels []newsdedup.Relation
		for i := start; i < min(start+20, n); i++ {
			id := newsdedup.ArticleID(fmt.Sprintf("%016x", i*7919))
			recs = append(recs, &newsdedup.Record{
				Article:  newsdedup.Article{ID: id, Title: fmt.Sprintf("article %d", i), Body: []string{strings.Repeat(fmt.Sprintf("word%d ", i), 40)}},
				Shingles: []uint64{uint64(i), uint64(i) + 1}, Sig: []uint64{uint64(i)}, Story: i / 10,
			})
			if i > 0 {
				rels = append(rels, newsdedup.Relation{A: newsdedup.ArticleID(fmt.Sprintf("%016x", (i-1)*7919)), B: id, Kind: newsdedup.KindSameStory, Score: 0.5})
			}
		}
		if err := s.Put(ctx, recs, rels); err != nil {
			tb.Fatal(err)
		}
	}
	if err := s.Close(); err != nil {
		tb.Fatal(err)
	}
}

// readAll opens the store in dir and reads everything it holds. It returns
// the first error; a panic or a crash fails the test run.
func readAll(dir string) error {
	ctx := context.Background()
	s, err := bolt.OpenExisting(dir, newsdedup.DefaultParams)
	if err != nil {
		return err
	}
	defer s.Close()
	var ids []newsdedup.ArticleID
	err = s.Each(ctx, func(r *newsdedup.Record) error { ids = append(ids, r.Article.ID); return nil })
	err = errors.Join(err, s.EachRelation(ctx, func(newsdedup.Relation) error { return nil }))
	_, _, cerr := s.Counts(ctx)
	err = errors.Join(err, cerr)
	for _, id := range append(ids, "0000000000000000", "0000000000001eef") {
		_, gerr := s.Get(ctx, id)
		_, herr := s.Has(ctx, id)
		_, rerr := s.Relations(ctx, id)
		err = errors.Join(err, gerr, herr, rerr)
	}
	rec := &newsdedup.Record{Article: newsdedup.Article{ID: "new"}}
	return errors.Join(err, s.Put(ctx, []*newsdedup.Record{rec}, []newsdedup.Relation{{A: "new", B: "0000000000000000", Kind: newsdedup.KindExact}}))
}

// wantDamaged fails t unless err says that the store file in dir is
// damaged and what to do.
func wantDamaged(t *testing.T, err error, dir string) {
	t.Helper()
	if !errors.Is(err, bolt.ErrDamaged) {
		t.Fatalf("error=%v, want ErrDamaged", err)
	}
	if msg := err.Error(); !strings.Contains(msg, filepath.Join(dir, bolt.FileName)) || !strings.Contains(msg, "restore it from a backup") {
		t.Errorf("error %q does not name the file and say what to do", msg)
	}
}

// TestOpenTruncated cuts a store's file short, to a page boundary or not:
// bbolt maps the file in sizes of powers of two, so reading past the end
// either finds nothing mapped or raises SIGBUS.
func TestOpenTruncated(t *testing.T) {
	src := t.TempDir()
	MustFillStore(t, src, 300)
	path := filepath.Join(src, bolt.FileName)
	orig, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	// The file grows ahead of its use: the last pages hold nothing yet.
	pageSize, live := livePages(t, path)
	used := pageSize * (1 + slices.Max(append(live["leaf"], live["branch"]...)))
	for _, size := range []int{used / 2, used*3/4 + 1000, used - pageSize, 3 * pageSize, 2*pageSize + 1} {
		t.Run(strconv.Itoa(size), func(t *testing.T) {
			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, bolt.FileName), orig[:size], 0o644); err != nil {
				t.Fatal(err)
			}
			_, err = bolt.Open(dir, newsdedup.DefaultParams)
			wantDamaged(t, err, dir)
			if !strings.Contains(err.Error(), "truncated") {
				t.Errorf("error %q does not say the file is truncated", err)
			}
			wantDamaged(t, readAll(dir), dir)
		})
	}
}

// TestTruncatedWhileOpen cuts the file of an open store short: reading
// the pages past the end raises SIGBUS, which must end in an error, as
// must every later call.
func TestTruncatedWhileOpen(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	MustFillStore(t, dir, 300)
	s, err := bolt.OpenExisting(dir, newsdedup.DefaultParams)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(filepath.Join(dir, bolt.FileName), 3*4096); err != nil {
		t.Fatal(err)
	}
	err = s.Each(ctx, func(*newsdedup.Record) error { return nil })
	wantDamaged(t, err, dir)
	if !strings.Contains(err.Error(), "fault") {
		t.Errorf("error %q does not tell of the fault", err)
	}
	_, err = s.Get(ctx, "0000000000000000")
	wantDamaged(t, err, dir)
	wantDamaged(t, s.Put(ctx, []*newsdedup.Record{{Article: newsdedup.Article{ID: "new"}}}, nil), dir)
	done := make(chan error, 1)
	go func() { done <- s.Close() }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("Close of a damaged store hangs")
	}
	if _, err := os.Stat(filepath.Join(dir, bolt.OwnerFileName)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("owner file after Close: %v", err)
	}
}

// TestCallbackPanic checks that a panic in a callback of Each is the
// caller's: it goes on up, and the store is not taken for damaged.
func TestCallbackPanic(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	MustFillStore(t, dir, 3)
	s, err := bolt.OpenExisting(dir, newsdedup.DefaultParams)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for _, each := range []func() error{
		func() error { return s.Each(ctx, func(*newsdedup.Record) error { panic("caller's") }) },
		func() error { return s.EachRelation(ctx, func(newsdedup.Relation) error { panic("caller's") }) },
	} {
		got := func() (v any) {
			defer func() { v = recover() }()
			return each()
		}()
		if got != "caller's" {
			t.Errorf("panic in callback: recovered %v, want the caller's panic", got)
		}
	}
	if n, _, err := s.Counts(ctx); n != 3 || err != nil {
		t.Errorf("after a callback panicked, Counts=%d, %v", n, err)
	}
}

// livePages returns the pages of the bbolt file path that are in use, by
// type: meta, freelist, branch or leaf.
func livePages(t *testing.T, path string) (pageSize int, pages map[string][]int) {
	t.Helper()
	db, err := bbolt.Open(path, 0o644, &bbolt.Options{ReadOnly: true, PreLoadFreelist: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	pages = map[string][]int{}
	err = db.View(func(tx *bbolt.Tx) error {
		for id := 0; ; id++ {
			p, err := tx.Page(id)
			if p == nil || err != nil {
				return err
			}
			if p.Type != "free" {
				pages[p.Type] = append(pages[p.Type], id)
			}
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	return db.Info().PageSize, pages
}

// TestOpenFlippedBytes damages a store a byte at a time, in the header and
// the body of every meta, freelist and branch page and of some leaves, and
// reads all of it: each damage must end in success or an error, never a
// panic or a crash.
func TestOpenFlippedBytes(t *testing.T) {
	src := t.TempDir()
	MustFillStore(t, src, 100)
	path := filepath.Join(src, bolt.FileName)
	orig, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	pageSize, live := livePages(t, path)
	seed := uint64(time.Now().UnixNano())
	t.Logf("seed %d; pages in use: %d leaves, %d branches", seed, len(live["leaf"]), len(live["branch"]))
	r := rand.New(rand.NewPCG(seed, 1))
	leaves := 8
	if testing.Short() {
		leaves = 2
	}
	pages := append(append(live["meta"], live["freelist"]...), live["branch"]...)
	for range leaves {
		pages = append(pages, live["leaf"][r.IntN(len(live["leaf"]))])
	}
	outcomes := map[string]int{}
	for _, page := range pages {
		// The page header (id, flags, count, overflow), the first
		// elements, and anywhere.
		for _, off := range []int{0, 8, 10, 12, 16, 20, 24, 28, 32 + r.IntN(pageSize-32)} {
			at := page*pageSize + off
			data := append([]byte(nil), orig...)
			data[at] ^= byte(1 + r.IntN(255))
			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, bolt.FileName), data, 0o644); err != nil {
				t.Fatal(err)
			}
			done := make(chan error, 1)
			go func() { done <- readAll(dir) }()
			select {
			case err = <-done:
			case <-time.After(10 * time.Second):
				t.Fatalf("byte %d flipped: the store hangs", at)
			}
			switch {
			case err == nil:
				outcomes["read"]++
			case errors.Is(err, bolt.ErrDamaged):
				outcomes["damaged"]++
				wantDamaged(t, err, dir)
			default:
				// Damage bbolt cannot see: a stored value or key changed.
				outcomes["other error"]++
				t.Logf("byte %d flipped: %v", at, err)
			}
		}
	}
	t.Logf("outcomes: %v", outcomes)
	if outcomes["damaged"] == 0 {
		t.Errorf("no flipped byte was found to damage the store")
	}
}

func TestOpenEmptyFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, bolt.FileName)
	if err := os.WriteFile(path, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := bolt.Open(dir, newsdedup.DefaultParams)
	wantDamaged(t, err, dir)
	_, err = bolt.OpenExisting(dir, newsdedup.DefaultParams)
	wantDamaged(t, err, dir)
	if fi, err := os.Stat(path); err != nil || fi.Size() != 0 {
		t.Errorf("the empty file was changed: %v, %v", fi.Size(), err)
	}
}

func TestOpenGarbage(t *testing.T) {
	seed := uint64(time.Now().UnixNano())
	t.Logf("seed %d", seed)
	r := rand.New(rand.NewPCG(seed, 2))
	for _, n := range []int{1, 100, 4096, 3 * 4096, 64 << 10} {
		dir := t.TempDir()
		data := make([]byte, n)
		for i := range data {
			data[i] = byte(r.Uint32())
		}
		if err := os.WriteFile(filepath.Join(dir, bolt.FileName), data, 0o644); err != nil {
			t.Fatal(err)
		}
		_, err := bolt.Open(dir, newsdedup.DefaultParams)
		wantDamaged(t, err, dir)
	}
}

func TestOpenExistingAbsent(t *testing.T) {
	parent := t.TempDir()
	for _, dir := range []string{filepath.Join(parent, "typo"), parent} {
		_, err := bolt.OpenExisting(dir, newsdedup.DefaultParams)
		if !errors.Is(err, bolt.ErrNoStore) || !strings.Contains(err.Error(), "no store in "+dir) {
			t.Errorf("OpenExisting(%s) error=%v, want ErrNoStore naming the directory", dir, err)
		}
	}
	if entries, _ := os.ReadDir(parent); len(entries) != 0 {
		t.Errorf("OpenExisting created %v", entries)
	}
	// Open creates the store, and OpenExisting then opens it.
	MustFillStore(t, parent, 3)
	s, err := bolt.OpenExisting(parent, newsdedup.DefaultParams)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if n, _, err := s.Counts(context.Background()); n != 3 || err != nil {
		t.Errorf("Counts=%d, %v, want 3 articles", n, err)
	}
}

// TestOpenInUse opens a store twice in one process: bbolt's flock is held
// per open file, so the second Open waits and fails as another process's
// would.
func TestOpenInUse(t *testing.T) {
	dir := t.TempDir()
	s := MustOpenStore(t, dir)
	owner := filepath.Join(dir, bolt.OwnerFileName)
	if _, err := os.Stat(owner); err != nil {
		t.Errorf("no owner file while open: %v", err)
	}
	start := time.Now()
	_, err := bolt.Open(dir, newsdedup.DefaultParams)
	if !errors.Is(err, bolt.ErrInUse) {
		t.Fatalf("second Open error=%v, want ErrInUse", err)
	}
	if time.Since(start) > 5*time.Second {
		t.Errorf("second Open took %v", time.Since(start))
	}
	want := fmt.Sprintf("store %s is in use by another newsdedup process (pid %d: ", dir, os.Getpid())
	if msg := err.Error(); !strings.Contains(msg, want) || !strings.Contains(msg, "stop it or wait for it to finish") {
		t.Errorf("error %q, want it to contain %q", msg, want)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(owner); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("owner file after Close: %v", err)
	}
	MustOpenStore(t, dir)
}

// TestOpenInUseByProcess holds a store in a child process (this test
// binary, run as holdStore) and opens it here.
func TestOpenInUseByProcess(t *testing.T) {
	if dir := os.Getenv("BOLT_TEST_HOLD"); dir != "" {
		holdStore(dir)
		return
	}
	dir := t.TempDir()
	cmd := exec.Command(os.Args[0], "-test.run=^TestOpenInUseByProcess$")
	cmd.Env = append(os.Environ(), "BOLT_TEST_HOLD="+dir)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Wait()
	defer stdin.Close()
	if line, err := bufio.NewReader(stdout).ReadString('\n'); line != "open\n" {
		t.Fatalf("child: %q, %v", line, err)
	}
	_, err = bolt.Open(dir, newsdedup.DefaultParams)
	want := "store " + dir + " is in use by another newsdedup process (pid " + strconv.Itoa(cmd.Process.Pid) + ": "
	if !errors.Is(err, bolt.ErrInUse) || !strings.Contains(err.Error(), want) {
		t.Errorf("error=%v, want ErrInUse containing %q", err, want)
	}
}

// holdStore opens the store in dir, says so and holds it until stdin closes.
func holdStore(dir string) {
	s, err := bolt.Open(dir, newsdedup.DefaultParams)
	if err != nil {
		fmt.Println(err)
		os.Exit(1)
	}
	fmt.Println("open")
	bufio.NewReader(os.Stdin).ReadString('\n')
	s.Close()
	os.Exit(0)
}

// makeOld removes the ID scheme, the counters and the store ID from the store in dir,
// as an earlier version of newsdedup made it.
func makeOld(t *testing.T, dir string) {
	t.Helper()
	db, err := bbolt.Open(filepath.Join(dir, bolt.FileName), 0o644, nil)
	if err != nil {
		t.Fatal(err)
	}
	err = db.Update(func(tx *bbolt.Tx) error {
		for _, k := range []string{"idscheme", "articles", "relations", "storeid"} {
			if err := tx.Bucket([]byte("meta")).Delete([]byte(k)); err != nil {
				return err
			}
		}
		return nil
	})
	if err := errors.Join(err, db.Close()); err != nil {
		t.Fatal(err)
	}
}

func TestIDScheme(t *testing.T) {
	old := t.TempDir()
	MustFillOldStore(t, old, 3)
	makeOld(t, old)
	for _, open := range []func(string, newsdedup.Params) (*bolt.Store, error){bolt.Open, bolt.OpenExisting} {
		_, err := open(old, newsdedup.DefaultParams)
		if !errors.Is(err, bolt.ErrIDScheme) || !strings.Contains(err.Error(), "into a new store") {
			t.Errorf("opening a store of an earlier version: %v, want ErrIDScheme saying to re-ingest into a new store", err)
		}
	}

	// An earlier version's empty store takes the current scheme.
	empty := t.TempDir()
	MustOpenOldStore(t, empty).Close()
	makeOld(t, empty)
	MustOpenStore(t, empty).Close()
	s := MustOpenStore(t, empty)
	if err := s.Put(context.Background(), []*newsdedup.Record{{Article: newsdedup.Article{ID: "a"}}}, nil); err != nil {
		t.Fatal(err)
	}
	s.Close()
	MustOpenStore(t, empty).Close()

	// A store of another scheme is refused, empty or not.
	for _, scheme := range []string{"1", "3"} {
		dir := t.TempDir()
		MustOpenStore(t, dir).Close()
		db, err := bbolt.Open(filepath.Join(dir, bolt.FileName), 0o644, nil)
		if err != nil {
			t.Fatal(err)
		}
		err = db.Update(func(tx *bbolt.Tx) error { return tx.Bucket([]byte("meta")).Put([]byte("idscheme"), []byte(scheme)) })
		if err := errors.Join(err, db.Close()); err != nil {
			t.Fatal(err)
		}
		if _, err := bolt.Open(dir, newsdedup.DefaultParams); !errors.Is(err, bolt.ErrIDScheme) {
			t.Errorf("store of ID scheme %s: %v, want ErrIDScheme", scheme, err)
		}
	}
}

// A snapshot kept as stores made before the snapshot's own keys kept it
// (the arrival number, then the data, under one key) is read, and
// replaced by a later one only.
func TestOldSnapshot(t *testing.T) {
	dir := t.TempDir()
	MustOpenStore(t, dir).Close()
	db, err := bbolt.Open(filepath.Join(dir, bolt.FileName), 0o644, nil)
	if err != nil {
		t.Fatal(err)
	}
	err = db.Update(func(tx *bbolt.Tx) error {
		b, err := tx.CreateBucket([]byte("snapshot"))
		if err != nil {
			return err
		}
		return b.Put([]byte("latest"), append([]byte{0, 0, 0, 0, 0, 0, 0, 5}, "five"...))
	})
	if err := errors.Join(err, db.Close()); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	s := MustOpenStore(t, dir)
	for _, put := range []struct {
		seq      uint64
		data     string
		wantSeq  uint64
		wantData string
	}{{0, "", 5, "five"}, {4, "four", 5, "five"}, {6, "six", 6, "six"}, {5, "five", 6, "six"}} {
		if put.data != "" {
			if err := s.PutSnapshot(ctx, put.seq, []byte(put.data)); err != nil {
				t.Fatal(err)
			}
		}
		if seq, data, err := s.Snapshot(ctx); seq != put.wantSeq || string(data) != put.wantData || err != nil {
			t.Errorf("after PutSnapshot(%d, %q): Snapshot = %d, %q, %v; want %d, %q", put.seq, put.data, seq, data, err, put.wantSeq, put.wantData)
		}
	}
}
