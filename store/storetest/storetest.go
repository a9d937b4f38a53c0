// Package storetest is the conformance suite every newsdedup.Store backend
// runs.
package storetest

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/newsdedup/newsdedup"
)

// Opener opens (or reopens) a store of params p in dir.
type Opener func(tb testing.TB, dir string, p newsdedup.Params) (newsdedup.Store, error)

func rec(id string, story int) *newsdedup.Record {
	return &newsdedup.Record{
		Article: newsdedup.Article{ID: newsdedup.ArticleID(id), Title: "t " + id, Body: []string{"body of " + id}, Published: time.Date(2023, 7, 13, 0, 0, 0, 0, time.UTC)},
		Exact:   uint64(len(id)), Tokens: 3, Shingles: []uint64{1, 2, 3}, Sig: []uint64{4, 5}, Story: story,
	}
}

// Run runs the suite against open.
func Run(t *testing.T, open Opener) {
	ctx := context.Background()
	p := newsdedup.DefaultParams

	t.Run("PutGetEach", func(t *testing.T) {
		dir := t.TempDir()
		s, err := open(t, dir, p)
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		rel := newsdedup.Relation{A: "a", B: "b", Kind: newsdedup.KindReprint, Jaccard: 0.5, Containment: 0.8, Evidence: &newsdedup.Evidence{Kept: 3}}
		if err := s.Put(ctx, []*newsdedup.Record{rec("a", 0), rec("b", 0)}, []newsdedup.Relation{rel}); err != nil {
			t.Fatal(err)
		}
		if err := s.Put(ctx, []*newsdedup.Record{rec("c", 1)}, nil); err != nil {
			t.Fatal(err)
		}
		got, err := s.Get(ctx, "b")
		if err != nil || got.Article.Title != "t b" || got.Seq != 2 || !slices.Equal(got.Shingles, []uint64{1, 2, 3}) || !got.Article.Published.Equal(rec("b", 0).Article.Published) {
			t.Errorf("Get(b)=%+v, %v", got, err)
		}
		if _, err := s.Get(ctx, "zz"); newsdedup.ErrorCode(err) != newsdedup.ENOTFOUND {
			t.Errorf("Get(zz) error=%v, want not_found", err)
		}
		var order []string
		s.Each(ctx, func(r *newsdedup.Record) error { order = append(order, string(r.Article.ID)); return nil })
		if !slices.Equal(order, []string{"a", "b", "c"}) {
			t.Errorf("Each order=%v", order)
		}
		for _, id := range []newsdedup.ArticleID{"a", "b"} {
			rels, err := s.Relations(ctx, id)
			if err != nil || len(rels) != 1 || rels[0].Kind != newsdedup.KindReprint || rels[0].Evidence == nil || rels[0].Evidence.Kept != 3 {
				t.Errorf("Relations(%s)=%+v, %v", id, rels, err)
			}
		}
		if rels, _ := s.Relations(ctx, "c"); len(rels) != 0 {
			t.Errorf("Relations(c)=%v", rels)
		}
		// One pair may hold two relations of different kinds.
		if err := s.Put(ctx, nil, []newsdedup.Relation{{A: "a", B: "c", Kind: newsdedup.KindPartialReuse}, {A: "a", B: "c", Kind: newsdedup.KindSameStory}}); err != nil {
			t.Fatal(err)
		}
		if rels, _ := s.Relations(ctx, "c"); len(rels) != 2 {
			t.Errorf("Relations(c)=%v, want partial_reuse and same_story", rels)
		}
		a, r, err := s.Counts(ctx)
		if a != 3 || r != 3 || err != nil {
			t.Errorf("Counts=%d,%d,%v", a, r, err)
		}
	})

	t.Run("PutIsAtomic", func(t *testing.T) {
		s, err := open(t, t.TempDir(), p)
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		if err := s.Put(ctx, []*newsdedup.Record{rec("a", 0)}, nil); err != nil {
			t.Fatal(err)
		}
		// "a" again: the whole Put fails and "new" is not stored either.
		err = s.Put(ctx, []*newsdedup.Record{rec("new", 0), rec("a", 0)}, []newsdedup.Relation{{A: "new", B: "a", Kind: newsdedup.KindExact}})
		if newsdedup.ErrorCode(err) != newsdedup.EINVALID {
			t.Errorf("duplicate Put error=%v, want invalid", err)
		}
		if ok, _ := s.Has(ctx, "new"); ok {
			t.Errorf("a failed Put left a record")
		}
		if a, r, _ := s.Counts(ctx); a != 1 || r != 0 {
			t.Errorf("counts after failed Put=%d,%d", a, r)
		}
	})

	t.Run("ReopenAndParams", func(t *testing.T) {
		dir := t.TempDir()
		s, err := open(t, dir, p)
		if err != nil {
			t.Fatal(err)
		}
		s.Put(ctx, []*newsdedup.Record{rec("a", 0)}, nil)
		s.Close()
		s, err = open(t, dir, p)
		if err != nil {
			t.Fatal(err)
		}
		if ok, _ := s.Has(ctx, "a"); !ok {
			t.Errorf("record lost on reopen")
		}
		if err := s.Put(ctx, []*newsdedup.Record{rec("b", 0)}, nil); err != nil {
			t.Fatal(err)
		}
		if r, _ := s.Get(ctx, "b"); r == nil || r.Seq != 2 {
			t.Errorf("sequence restarted after reopen: %+v", r)
		}
		s.Close()
		q := p
		q.Bands = 32
		if _, err := open(t, dir, q); !errors.Is(err, newsdedup.ErrParamsMismatch) {
			t.Errorf("open with other params: %v, want ErrParamsMismatch", err)
		}
		// Another analysis chain or n-gram size made other shingles.
		for _, q := range []newsdedup.Params{
			{Shingle: p.Shingle, Bands: p.Bands, Rows: p.Rows, Seed: p.Seed}, // a store from before tokens by script
			{Shingle: p.Shingle, Bands: p.Bands, Rows: p.Rows, Seed: p.Seed, Analyzer: p.Analyzer, Gram: p.Gram + 1},
		} {
			if _, err := open(t, dir, q); !errors.Is(err, newsdedup.ErrParamsMismatch) {
				t.Errorf("open with params %+v: %v, want ErrParamsMismatch", q, err)
			}
		}
	})

	t.Run("Snapshot", func(t *testing.T) {
		s, err := open(t, t.TempDir(), p)
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		ss, ok := s.(newsdedup.Snapshotter)
		if !ok {
			t.Skip("the store keeps no snapshots")
		}
		if seq, data, err := ss.Snapshot(ctx); seq != 0 || data != nil || err != nil {
			t.Errorf("Snapshot of a new store = %d, %q, %v", seq, data, err)
		}
		for _, put := range []struct {
			seq  uint64
			data string
		}{{5, "five"}, {3, "three"}, {7, "seven"}, {7, "seven again"}} {
			if err := ss.PutSnapshot(ctx, put.seq, []byte(put.data)); err != nil {
				t.Fatal(err)
			}
		}
		// An earlier or equal number does not replace a later one.
		if seq, data, err := ss.Snapshot(ctx); seq != 7 || string(data) != "seven" || err != nil {
			t.Errorf("Snapshot = %d, %q, %v; want 7, seven", seq, data, err)
		}
	})

	t.Run("StoreID", func(t *testing.T) {
		dir := t.TempDir()
		s, err := open(t, dir, p)
		if err != nil {
			t.Fatal(err)
		}
		id, ok := s.(newsdedup.Identified)
		if !ok {
			s.Close()
			t.Skip("the store has no ID")
		}
		first := id.StoreID()
		s.Close()
		s, err = open(t, dir, p)
		if err != nil {
			t.Fatal(err)
		}
		again := s.(newsdedup.Identified).StoreID()
		s.Close()
		other, err := open(t, t.TempDir(), p)
		if err != nil {
			t.Fatal(err)
		}
		defer other.Close()
		if first == "" || first != again || other.(newsdedup.Identified).StoreID() == first {
			t.Errorf("store IDs %q, reopened %q, another store %q: want one ID a store, kept", first, again, other.(newsdedup.Identified).StoreID())
		}
	})
}
