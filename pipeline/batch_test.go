package pipeline_test

import (
	"context"
	"fmt"
	"os"
	"testing"

	"github.com/newsdedup/newsdedup"
	"github.com/newsdedup/newsdedup/eval"
	"github.com/newsdedup/newsdedup/pipeline"
)

func TestRunIdempotentAndExact(t *testing.T) {
	body := []string{
		"Dock workers at the northern grain terminal walked out on Saturday, halting exports for the third day in a row, union officials said.",
		"The strike began after talks over night-shift pay collapsed late on Wednesday, the operator said.",
	}
	a := &newsdedup.Article{ID: "a", Body: body, Source: "one"}
	b := &newsdedup.Article{ID: "b", Body: body, Source: "two"}
	res := pipeline.Run(pipeline.DefaultConfig(), []*newsdedup.Article{a, b, a})
	if len(res.Articles) != 2 {
		t.Fatalf("articles=%d, want 2: an article read twice counts once", len(res.Articles))
	}
	if len(res.Relations) != 1 || res.Relations[0].Kind != newsdedup.KindExact {
		t.Fatalf("relations=%+v, want one exact", res.Relations)
	}
	if len(res.Families) != 1 || len(res.Stories) != 1 {
		t.Errorf("families=%d stories=%d, want 1 and 1", len(res.Families), len(res.Stories))
	}
}

// reuters returns the Reuters-21578 texts and their size in bytes.
func reuters(b *testing.B) ([]*newsdedup.Article, int64) {
	dir := "../../shared/eval/throughput/reuters21578"
	if _, err := os.Stat(dir); err != nil {
		b.Skipf("Reuters corpus absent (%v)", err)
	}
	arts, err := eval.Reuters(dir)
	if err != nil {
		b.Fatal(err)
	}
	var n int64
	for _, a := range arts {
		n += int64(len(a.Text()))
	}
	return arts, n
}

// BenchmarkRun measures the whole batch pipeline: fingerprints,
// candidates, verification, families and stories.
func BenchmarkRun(b *testing.B) {
	arts, n := reuters(b)
	// Without story revision, as the baseline of its cost.
	noRevise := pipeline.DefaultConfig()
	noRevise.Story.Revise = 0
	for _, v := range []struct {
		name string
		cfg  pipeline.Config
	}{{"all", pipeline.DefaultConfig()}, {"no-revision", noRevise}} {
		b.Run(v.name, func(b *testing.B) {
			b.SetBytes(n)
			b.ReportAllocs()
			for b.Loop() {
				pipeline.Run(v.cfg, arts)
			}
			b.ReportMetric(float64(len(arts))*float64(b.N)/b.Elapsed().Seconds(), "articles/s")
		})
	}
}

// BenchmarkCopies measures copy detection alone (Run without stories),
// without paragraph evidence, as the bench command runs it.
func BenchmarkCopies(b *testing.B) {
	arts, n := reuters(b)
	cfg := pipeline.DefaultConfig()
	cfg.Evidence = false
	b.SetBytes(n)
	b.ReportAllocs()
	for b.Loop() {
		pipeline.Copies(cfg, arts)
	}
	b.ReportMetric(float64(len(arts))*float64(b.N)/b.Elapsed().Seconds(), "articles/s")
}

// BenchmarkRunVsEngine measures whether Run could be an Engine fed in bulk:
// Run against an engine over an in-memory store fed the same articles in
// Adds of 256, on the first 5,000 and 19,000 Reuters-21578 texts. It also
// reports how many relations, families and stories each finds (the engine
// counts stories in arrival order, Run in publication order).
func BenchmarkRunVsEngine(b *testing.B) {
	all, _ := reuters(b)
	cfg := pipeline.DefaultConfig()
	cfg.Evidence = false
	for _, n := range []int{5000, 19000} {
		arts := all[:min(n, len(all))]
		var size int64
		for _, a := range arts {
			size += int64(len(a.Text()))
		}
		b.Run(fmt.Sprintf("run/%d", n), func(b *testing.B) {
			b.SetBytes(size)
			b.ReportAllocs()
			var res *pipeline.Result
			for b.Loop() {
				res = pipeline.Run(cfg, arts)
			}
			b.ReportMetric(float64(len(arts))*float64(b.N)/b.Elapsed().Seconds(), "articles/s")
			copies := 0
			for _, r := range res.Relations {
				if r.Kind != newsdedup.KindSameStory {
					copies++
				}
			}
			b.ReportMetric(float64(copies), "copies")
			b.ReportMetric(float64(len(res.Families)), "families")
			b.ReportMetric(float64(len(res.Stories)), "stories")
		})
		b.Run(fmt.Sprintf("engine/%d", n), func(b *testing.B) {
			b.SetBytes(size)
			b.ReportAllocs()
			ctx := context.Background()
			var st newsdedup.Stats
			var copies int
			for b.Loop() {
				s := newMemStore(cfg.Params)
				e, err := pipeline.Open(ctx, cfg, s)
				if err != nil {
					b.Fatal(err)
				}
				for lo := 0; lo < len(arts); lo += 256 {
					if _, err := e.Add(ctx, arts[lo:min(lo+256, len(arts))]); err != nil {
						b.Fatal(err)
					}
				}
				st = e.Stats()
				copies = s.copies()
			}
			b.ReportMetric(float64(len(arts))*float64(b.N)/b.Elapsed().Seconds(), "articles/s")
			b.ReportMetric(float64(copies), "copies")
			b.ReportMetric(float64(st.Families), "families")
			b.ReportMetric(float64(st.Stories), "stories")
		})
		// The same batches through AddAll, as ingest feeds them: a batch
		// stored while the next is placed and the copies of the one after
		// are found.
		b.Run(fmt.Sprintf("engine-addall/%d", n), func(b *testing.B) {
			b.SetBytes(size)
			b.ReportAllocs()
			ctx := context.Background()
			var st newsdedup.Stats
			for b.Loop() {
				s := newMemStore(cfg.Params)
				e, err := pipeline.Open(ctx, cfg, s)
				if err != nil {
					b.Fatal(err)
				}
				lo := 0
				next := func() ([]*newsdedup.Article, bool) {
					if lo >= len(arts) {
						return nil, false
					}
					batch := arts[lo:min(lo+256, len(arts))]
					lo += 256
					return batch, true
				}
				if err := e.AddAll(ctx, next, func([]*newsdedup.Article, []pipeline.Placement) error { return nil }); err != nil {
					b.Fatal(err)
				}
				st = e.Stats()
			}
			b.ReportMetric(float64(len(arts))*float64(b.N)/b.Elapsed().Seconds(), "articles/s")
			b.ReportMetric(float64(st.Families), "families")
			b.ReportMetric(float64(st.Stories), "stories")
		})
	}
}
