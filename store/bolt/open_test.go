package bolt_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	bbolt "go.etcd.io/bbolt"

	"github.com/newsdedup/newsdedup"
	"github.com/newsdedup/newsdedup/store/bolt"
)

// metaTxIDs returns the transaction IDs that the two meta pages of the
// store file path record (bbolt: after the 16-byte page header, the
// transaction ID is at byte 48 of the meta).
func metaTxIDs(t *testing.T, path string) [2]uint64 {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	pageSize := int(binary.NativeEndian.Uint32(data[16+8:]))
	var ids [2]uint64
	for m := range 2 {
		ids[m] = binary.NativeEndian.Uint64(data[m*pageSize+16+48:])
	}
	return ids
}

// TestOpenDamagedMeta damages one meta page, the newer or the older: bbolt
// would open the store at the other, the newer at the older transaction,
// and lose the last Put. Open and OpenExisting refuse it, and change
// nothing.
func TestOpenDamagedMeta(t *testing.T) {
	src := t.TempDir()
	MustFillStore(t, src, 40)
	orig, err := os.ReadFile(filepath.Join(src, bolt.FileName))
	if err != nil {
		t.Fatal(err)
	}
	ids := metaTxIDs(t, filepath.Join(src, bolt.FileName))
	newest := 0
	if ids[1] > ids[0] {
		newest = 1
	}
	pageSize := int(binary.NativeEndian.Uint32(orig[16+8:]))
	for _, m := range []int{newest, 1 - newest} {
		// Byte 48 of the page is the meta's freelist page ID.
		for _, off := range []int{16, 48, 16 + 56} {
			dir := t.TempDir()
			path := filepath.Join(dir, bolt.FileName)
			data := bytes.Clone(orig)
			data[m*pageSize+off] ^= 1
			if err := os.WriteFile(path, data, 0o644); err != nil {
				t.Fatal(err)
			}
			for name, open := range map[string]func(string, newsdedup.Params) (*bolt.Store, error){"Open": bolt.Open, "OpenExisting": bolt.OpenExisting} {
				s, err := open(dir, newsdedup.DefaultParams)
				if err == nil {
					n, _, _ := s.Counts(context.Background())
					s.Close()
					t.Errorf("%s with byte %d of meta page %d flipped: opened, holding %d articles", name, off, m, n)
					continue
				}
				wantDamaged(t, err, dir)
				if want := fmt.Sprintf("header page %d is damaged", m); !strings.Contains(err.Error(), want) {
					t.Errorf("%s: error %q does not say %q", name, err, want)
				}
			}
			if got, _ := os.ReadFile(path); !bytes.Equal(got, data) {
				t.Errorf("byte %d of meta page %d flipped: the refused file changed", off, m)
			}
		}
	}
}

// TestOpenExistingReadOnly checks that OpenExisting writes nothing: not
// the store file, not the owner file; that Put then says why it fails;
// and that a store whose file is not writable opens.
func TestOpenExistingReadOnly(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	MustFillStore(t, dir, 30)
	path := filepath.Join(dir, bolt.FileName)
	owner := filepath.Join(dir, bolt.OwnerFileName)
	// As a writer in another process would have left it.
	ownerText := []byte(`{"pid":1,"command":"newsdedup ingest","since":"2026-01-01T00:00:00Z"}` + "\n")
	if err := os.WriteFile(owner, ownerText, 0o644); err != nil {
		t.Fatal(err)
	}
	before, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	s, err := bolt.OpenExisting(dir, newsdedup.DefaultParams)
	if err != nil {
		t.Fatal(err)
	}
	if a, r, err := s.Counts(ctx); a != 30 || r != 29 || err != nil {
		t.Errorf("Counts=%d, %d, %v, want 30, 29", a, r, err)
	}
	err = s.Put(ctx, []*newsdedup.Record{{Article: newsdedup.Article{ID: "new"}}}, nil)
	if !errors.Is(err, bolt.ErrReadOnly) || !strings.Contains(err.Error(), dir) {
		t.Errorf("Put on a read-only store: %v, want ErrReadOnly naming the store", err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	after, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi2, err := os.Stat(path); err != nil || !bytes.Equal(before, after) || !fi2.ModTime().Equal(fi.ModTime()) {
		t.Errorf("OpenExisting and Close changed the store file (%v)", err)
	}
	if got, err := os.ReadFile(owner); err != nil || !bytes.Equal(got, ownerText) {
		t.Errorf("OpenExisting and Close changed the owner file: %q, %v", got, err)
	}

	if os.Geteuid() == 0 {
		t.Log("running as root: skipping the unwritable file")
		return
	}
	os.Remove(owner)
	if err := os.Chmod(path, 0o444); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(dir, 0o555); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Chmod(dir, 0o755) })
	s, err = bolt.OpenExisting(dir, newsdedup.DefaultParams)
	if err != nil {
		t.Fatalf("OpenExisting of an unwritable store: %v", err)
	}
	if a, _, err := s.Counts(ctx); a != 30 || err != nil {
		t.Errorf("Counts=%d, %v, want 30", a, err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
}

// TestOpenExistingNoBuckets opens a bbolt file without the store's
// buckets, as a process stopped while creating the store leaves it:
// OpenExisting says there is no store and writes nothing; Open makes one.
func TestOpenExistingNoBuckets(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, bolt.FileName)
	db, err := bbolt.Open(path, 0o644, nil)
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	before, _ := os.ReadFile(path)
	_, err = bolt.OpenExisting(dir, newsdedup.DefaultParams)
	if !errors.Is(err, bolt.ErrNoStore) {
		t.Errorf("OpenExisting of a file without buckets: %v, want ErrNoStore", err)
	}
	if after, _ := os.ReadFile(path); !bytes.Equal(before, after) {
		t.Errorf("OpenExisting changed the file")
	}
	MustOpenStore(t, dir).Close()
	s, err := bolt.OpenExisting(dir, newsdedup.DefaultParams)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
}

// storedCounters reads the counters the store in dir keeps, or nil.
func storedCounters(t *testing.T, dir string) (articles, relations []byte) {
	t.Helper()
	db, err := bbolt.Open(filepath.Join(dir, bolt.FileName), 0o644, &bbolt.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	db.View(func(tx *bbolt.Tx) error {
		meta := tx.Bucket([]byte("meta"))
		articles, relations = bytes.Clone(meta.Get([]byte("articles"))), bytes.Clone(meta.Get([]byte("relations")))
		return nil
	})
	return articles, relations
}

func counter(n uint64) []byte { return binary.BigEndian.AppendUint64(nil, n) }

// TestCountsSameRelationTwice stores a relation of the same key (A, B,
// kind) twice, in one Put and in two, which the store keeps once: the
// stored counters, and Counts, count it once.
func TestCountsSameRelationTwice(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s := MustOpenStore(t, dir)
	rec := func(id string) *newsdedup.Record {
		return &newsdedup.Record{Article: newsdedup.Article{ID: newsdedup.ArticleID(id)}}
	}
	reprint := newsdedup.Relation{A: "a", B: "b", Kind: newsdedup.KindReprint, Jaccard: 0.5}
	again := reprint
	again.Jaccard = 0.9
	story := newsdedup.Relation{A: "a", B: "b", Kind: newsdedup.KindSameStory}
	if err := s.Put(ctx, []*newsdedup.Record{rec("a"), rec("b")}, []newsdedup.Relation{reprint, again}); err != nil {
		t.Fatal(err)
	}
	if err := s.Put(ctx, []*newsdedup.Record{rec("c")}, []newsdedup.Relation{again, story}); err != nil {
		t.Fatal(err)
	}
	if a, r, err := s.Counts(ctx); a != 3 || r != 2 || err != nil {
		t.Errorf("Counts=%d, %d, %v, want 3 articles, 2 relations", a, r, err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if a, r := storedCounters(t, dir); !bytes.Equal(a, counter(3)) || !bytes.Equal(r, counter(2)) {
		t.Errorf("stored counters %x, %x, want 3 and 2", a, r)
	}

	// A store made before the counters: OpenExisting counts in memory,
	// Open counts and stores them.
	dropCounters(t, dir)
	s, err := bolt.OpenExisting(dir, newsdedup.DefaultParams)
	if err != nil {
		t.Fatal(err)
	}
	if a, r, err := s.Counts(ctx); a != 3 || r != 2 || err != nil {
		t.Errorf("read-only, without counters: Counts=%d, %d, %v, want 3, 2", a, r, err)
	}
	s.Close()
	if a, r := storedCounters(t, dir); a != nil || r != nil {
		t.Errorf("OpenExisting stored counters %x, %x", a, r)
	}
	MustOpenStore(t, dir).Close()
	if a, r := storedCounters(t, dir); !bytes.Equal(a, counter(3)) || !bytes.Equal(r, counter(2)) {
		t.Errorf("Open of a store without counters stored %x, %x, want 3 and 2", a, r)
	}
}

// dropCounters removes the counters from the store in dir, as a store
// made before them lacks them.
func dropCounters(t *testing.T, dir string) {
	t.Helper()
	db, err := bbolt.Open(filepath.Join(dir, bolt.FileName), 0o644, nil)
	if err != nil {
		t.Fatal(err)
	}
	err = db.Update(func(tx *bbolt.Tx) error {
		meta := tx.Bucket([]byte("meta"))
		return errors.Join(meta.Delete([]byte("articles")), meta.Delete([]byte("relations")))
	})
	if err := errors.Join(err, db.Close()); err != nil {
		t.Fatal(err)
	}
}

// TestCountersOfOldStore opens with Open a store made before the counters
// (and the ID scheme): Open counts once and stores the counters, which
// Put then keeps.
func TestCountersOfOldStore(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	MustOpenOldStore(t, dir).Close()
	makeOld(t, dir)
	s := MustOpenStore(t, dir)
	if err := s.Put(ctx, []*newsdedup.Record{{Article: newsdedup.Article{ID: "a"}}, {Article: newsdedup.Article{ID: "b"}}},
		[]newsdedup.Relation{{A: "a", B: "b", Kind: newsdedup.KindReprint}}); err != nil {
		t.Fatal(err)
	}
	s.Close()
	if a, r := storedCounters(t, dir); !bytes.Equal(a, counter(2)) || !bytes.Equal(r, counter(1)) {
		t.Errorf("stored counters %x, %x, want 2 and 1", a, r)
	}
}
