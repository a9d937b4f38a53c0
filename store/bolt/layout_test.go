package bolt_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/newsdedup/newsdedup"
	"github.com/newsdedup/newsdedup/store/bolt"
	bbolt "go.etcd.io/bbolt"
)

// TestLayouts fills a store of each layout alike, reopens both, extends
// them alike, and reads them back: they hold the same records and
// relations and return them in the same order, a store of the first
// layout stays in it, and a new store is made in the second.
func TestLayouts(t *testing.T) {
	ctx := context.Background()
	dirs := map[string]string{"old": t.TempDir(), "new": t.TempDir()}
	MustFillOldStore(t, dirs["old"], 95)
	MustFillStore(t, dirs["new"], 95)
	id := func(i int) newsdedup.ArticleID { return newsdedup.ArticleID(fmt.Sprintf("%016x", i*7919)) }
	type contents struct {
		Each      []*newsdedup.Record
		Relations []newsdedup.Relation // EachRelation's, sorted
		Of        map[newsdedup.ArticleID][]newsdedup.Relation
		Get       *newsdedup.Record
		Counts    [2]int
	}
	read := func(s *bolt.Store) contents {
		t.Helper()
		c := contents{Of: make(map[newsdedup.ArticleID][]newsdedup.Relation)}
		// The fill dates its records as it stores them.
		err := s.Each(ctx, func(r *newsdedup.Record) error { r.Stored = time.Time{}; c.Each = append(c.Each, r); return nil })
		if err != nil {
			t.Fatal(err)
		}
		if err := s.EachRelation(ctx, func(r newsdedup.Relation) error { c.Relations = append(c.Relations, r); return nil }); err != nil {
			t.Fatal(err)
		}
		slices.SortFunc(c.Relations, func(x, y newsdedup.Relation) int {
			a, _ := json.Marshal(x)
			b, _ := json.Marshal(y)
			return slices.Compare(a, b)
		})
		for _, r := range c.Each {
			if c.Of[r.Article.ID], err = s.Relations(ctx, r.Article.ID); err != nil {
				t.Fatal(err)
			}
		}
		if c.Get, err = s.Get(ctx, id(7)); err != nil {
			t.Fatal(err)
		}
		c.Get.Stored = time.Time{}
		if c.Counts[0], c.Counts[1], err = s.Counts(ctx); err != nil {
			t.Fatal(err)
		}
		return c
	}
	got := make(map[string]contents)
	for name, dir := range dirs {
		s := MustOpenStore(t, dir)
		if s.ByArrival() != (name == "new") {
			t.Errorf("%s store: in the second layout %v", name, s.ByArrival())
		}
		// A new article related to an old one and to one of its own Put;
		// a relation again (replacing it), one of another kind between
		// the same two, and one whose later article is an old one.
		recs := []*newsdedup.Record{{Article: newsdedup.Article{ID: "x1", Title: "x1"}}, {Article: newsdedup.Article{ID: "x0", Title: "x0"}}}
		rels := []newsdedup.Relation{
			{A: id(3), B: "x1", Kind: newsdedup.KindReprint, Jaccard: 0.7},
			{A: "x1", B: "x0", Kind: newsdedup.KindExact, Jaccard: 1},
			{A: id(3), B: id(4), Kind: newsdedup.KindSameStory, Score: 0.9},
			{A: id(3), B: id(4), Kind: newsdedup.KindVersion, Score: 0.8},
			{A: id(0), B: id(90), Kind: newsdedup.KindSameStory, Score: 0.4},
		}
		if err := s.Put(ctx, recs, rels); err != nil {
			t.Fatal(err)
		}
		// A relation of an article not stored is refused by the second
		// layout, which keys it by arrival numbers, and stores nothing.
		if name == "new" {
			err := s.Put(ctx, []*newsdedup.Record{{Article: newsdedup.Article{ID: "y"}}}, []newsdedup.Relation{{A: "nowhere", B: "y", Kind: newsdedup.KindExact}})
			if newsdedup.ErrorCode(err) != newsdedup.EINVALID {
				t.Errorf("relation of an article not stored: %v, want EINVALID", err)
			}
			if ok, _ := s.Has(ctx, "y"); ok {
				t.Errorf("a refused Put stored its article")
			}
		}
		got[name] = read(s)
		s.Close()
		ro, err := bolt.OpenExisting(dir, newsdedup.DefaultParams)
		if err != nil {
			t.Fatal(err)
		}
		if c := read(ro); !reflect.DeepEqual(c, got[name]) {
			t.Errorf("%s store read-only reads otherwise", name)
		}
		ro.Close()
	}
	if o, n := got["old"], got["new"]; !reflect.DeepEqual(o, n) {
		for k := range max(len(o.Each), len(n.Each)) {
			if k >= len(o.Each) || k >= len(n.Each) || !reflect.DeepEqual(o.Each[k], n.Each[k]) {
				t.Errorf("record %d differs", k)
				break
			}
		}
		if !reflect.DeepEqual(o.Relations, n.Relations) {
			t.Errorf("relations: old %v, new %v", o.Relations, n.Relations)
		}
		for id, rels := range o.Of {
			if !reflect.DeepEqual(rels, n.Of[id]) {
				t.Errorf("Relations(%s): old %v, new %v", id, rels, n.Of[id])
			}
		}
		t.Errorf("counts: old %v, new %v; get: old %+v, new %+v", o.Counts, n.Counts, o.Get, n.Get)
	}
	// 94 relations filled, one of them stored again.
	if c := got["new"].Counts; c != [2]int{97, 98} {
		t.Errorf("Counts=%v, want 97 articles, 98 relations", c)
	}
}

// TestNewerLayout: a store whose layout number is above the ones this
// build knows was made by a later build: Open and OpenExisting refuse it
// with ErrNewer (not ErrDamaged, which tells the user to move it away),
// saying so, and leave its file as it was; a layout that is no number is
// still damage.
func TestNewerLayout(t *testing.T) {
	for _, tc := range []struct {
		layout string
		want   error
	}{{"3", bolt.ErrNewer}, {"12", bolt.ErrNewer}, {"x", bolt.ErrDamaged}, {"-1", bolt.ErrDamaged}, {"03", bolt.ErrDamaged}, {"+3", bolt.ErrDamaged}} {
		dir := t.TempDir()
		MustFillStore(t, dir, 5)
		path := filepath.Join(dir, bolt.FileName)
		db, err := bbolt.Open(path, 0o644, nil)
		if err != nil {
			t.Fatal(err)
		}
		err = db.Update(func(tx *bbolt.Tx) error { return tx.Bucket([]byte("meta")).Put([]byte("layout"), []byte(tc.layout)) })
		if cerr := db.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			t.Fatal(err)
		}
		before, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		for name, open := range map[string]func(string, newsdedup.Params) (*bolt.Store, error){"Open": bolt.Open, "OpenExisting": bolt.OpenExisting} {
			s, err := open(dir, newsdedup.DefaultParams)
			if err == nil {
				s.Close()
				t.Fatalf("layout %q: %s opened the store", tc.layout, name)
			}
			if errors.Is(err, bolt.ErrNewer) != (tc.want == bolt.ErrNewer) || errors.Is(err, bolt.ErrDamaged) != (tc.want == bolt.ErrDamaged) {
				t.Errorf("layout %q: %s: %v, want an error wrapping %v alone", tc.layout, name, err, tc.want)
			}
			if tc.want == bolt.ErrNewer && !strings.Contains(err.Error(), "layout "+tc.layout+", which a later newsdedup made") {
				t.Errorf("layout %q: %s: %q does not say a later newsdedup made the store", tc.layout, name, err)
			}
		}
		after, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(before, after) {
			t.Errorf("layout %q: opening changed the store file", tc.layout)
		}
	}
}
