package pipeline_test

import (
	"os"
	"strings"
	"testing"

	"github.com/zeebo/xxh3"

	"github.com/newsdedup/newsdedup"
	"github.com/newsdedup/newsdedup/eval"
	"github.com/newsdedup/newsdedup/pipeline"
	"github.com/newsdedup/newsdedup/textnorm"
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

// BenchmarkRun measures the whole batch pipeline (fingerprint, candidates,
// verification, families, stories) on the Reuters-21578 corpus.
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

func TestParagraphKeyIsTheFoldedHash(t *testing.T) {
	var tok textnorm.Tokenizer
	long := strings.Repeat("word ", pipeline.TemplateWords+1)
	for _, p := range []string{"Share this: Facebook, X, E-mail", "  Colour  of the CENTRE ", "", "…", long, strings.Repeat("word ", pipeline.TemplateWords)} {
		want := uint64(0)
		if f := textnorm.Fold(p); f != "" && strings.Count(f, " ") < pipeline.TemplateWords {
			want = xxh3.HashString(f) | 1
		}
		if got := pipeline.ParagraphKey(&tok, p); got != want {
			t.Errorf("ParagraphKey(%q) = %x, want %x", p, got, want)
		}
	}
}
