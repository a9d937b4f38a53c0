package pipeline_test

import (
	"context"
	"reflect"
	"testing"

	"github.com/newsdedup/newsdedup"
	"github.com/newsdedup/newsdedup/pipeline"
)

// Run and an Engine give the same relations, families and stories
// whatever the number of workers and however the goroutines are
// scheduled: everything done in parallel is gathered back in input order.
func TestSameResultOnAnyWorkers(t *testing.T) {
	arts := reutersPrefix(t)
	run := func(workers int) []any {
		cfg := pipeline.DefaultConfig()
		cfg.Workers = workers
		res := pipeline.Run(cfg, arts)
		return []any{res.Relations, res.Families, res.Stories}
	}
	one := run(1)
	for _, w := range []int{4, 4} {
		got := run(w)
		for k, what := range []string{"relations", "families", "stories"} {
			if !reflect.DeepEqual(got[k], one[k]) {
				t.Errorf("Run on %d workers: %s differ from Run on one", w, what)
			}
		}
	}
	engine := func(workers int) ([]string, string, []newsdedup.Relation) {
		cfg := pipeline.DefaultConfig()
		cfg.Workers = workers
		s, e := openEngine(t, t.TempDir(), cfg)
		defer s.Close()
		pls := addAll(t, e, arts)
		var rels []newsdedup.Relation
		for _, a := range arts[:200] {
			p, err := e.Placement(t.Context(), a.ID)
			if err != nil {
				t.Fatal(err)
			}
			rels = append(rels, p.Relations...)
		}
		return pls, shape(e), rels
	}
	p1, s1, r1 := engine(1)
	p4, s4, r4 := engine(4)
	if !reflect.DeepEqual(p1, p4) || s1 != s4 || !reflect.DeepEqual(r1, r4) {
		t.Errorf("an engine on 4 workers places otherwise than on one")
	}
}

// AddAll, which finds a batch's copies while the batch before is placed,
// places as Add does batch after batch.
func TestAddAllIsAddAfterAdd(t *testing.T) {
	arts := reutersPrefix(t)
	cfg := pipeline.DefaultConfig()
	s1, e1 := openEngine(t, t.TempDir(), cfg)
	defer s1.Close()
	want := addAll(t, e1, arts)
	s2, e2 := openEngine(t, t.TempDir(), cfg)
	defer s2.Close()
	var got []string
	start := 0
	err := e2.AddAll(t.Context(), func() ([]*newsdedup.Article, bool) {
		if start >= len(arts) {
			return nil, false
		}
		b := arts[start:min(start+100, len(arts))]
		start += 100
		return b, true
	}, func(_ []*newsdedup.Article, pls []pipeline.Placement) error {
		for _, p := range pls {
			got = append(got, p.Family.ID+" "+p.Story.ID)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) || shape(e1) != shape(e2) || e1.Stats() != e2.Stats() {
		t.Errorf("AddAll places otherwise than Add after Add: stats %+v, want %+v", e2.Stats(), e1.Stats())
	}
}

// IngestAll places as AddAll does, and hands done the same placements
// without their families and stories.
func TestIngestAllIsAddAll(t *testing.T) {
	arts := reutersPrefix(t)
	cfg := pipeline.DefaultConfig()
	type feed func(context.Context, func() ([]*newsdedup.Article, bool), func([]*newsdedup.Article, []pipeline.Placement) error) error
	run := func(all func(*pipeline.Engine) feed) (*pipeline.Engine, []pipeline.Placement) {
		s, e := openEngine(t, t.TempDir(), cfg)
		t.Cleanup(func() { s.Close() })
		var pls []pipeline.Placement
		start := 0
		err := all(e)(t.Context(), func() ([]*newsdedup.Article, bool) {
			if start >= len(arts) {
				return nil, false
			}
			b := arts[start:min(start+100, len(arts))]
			start += 100
			return b, true
		}, func(_ []*newsdedup.Article, ps []pipeline.Placement) error {
			pls = append(pls, ps...)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		return e, pls
	}
	e1, want := run(func(e *pipeline.Engine) feed { return e.AddAll })
	e2, got := run(func(e *pipeline.Engine) feed { return e.IngestAll })
	if shape(e1) != shape(e2) || e1.Stats() != e2.Stats() {
		t.Errorf("IngestAll places otherwise than AddAll: stats %+v, want %+v", e2.Stats(), e1.Stats())
	}
	if len(got) != len(want) {
		t.Fatalf("IngestAll made %d placements, AddAll %d", len(got), len(want))
	}
	for k := range want {
		w := want[k]
		w.Family, w.Story = newsdedup.Family{}, newsdedup.Story{}
		if !reflect.DeepEqual(got[k], w) {
			t.Fatalf("placement %d: IngestAll %+v, want %+v", k, got[k], w)
		}
	}
}

// reutersPrefix returns the first 3,000 Reuters articles (800 under -short).
func reutersPrefix(t *testing.T) []*newsdedup.Article {
	all := reutersArticles(t)
	n := 3000
	if testing.Short() {
		n = 800
	}
	return all[:min(n, len(all))]
}
