package textnorm_test

import (
	"os"
	"sync"
	"testing"

	"github.com/zeebo/xxh3"

	"github.com/newsdedup/newsdedup/eval"
	"github.com/newsdedup/newsdedup/textnorm"
)

const reutersDir = "../../shared/eval/throughput/reuters21578"

var (
	reutersOnce  sync.Once
	reutersTexts []string
	reutersBytes int64
)

// reuters returns the Reuters-21578 bodies, skipping the benchmark when
// ../shared is absent.
func reuters(b *testing.B) ([]string, int64) {
	b.Helper()
	if _, err := os.Stat(reutersDir); err != nil {
		b.Skipf("Reuters corpus absent (%v): needs ../shared beside the repository", err)
	}
	reutersOnce.Do(func() {
		arts, err := eval.Reuters(reutersDir)
		if err != nil {
			b.Fatal(err)
		}
		for _, a := range arts {
			t := a.Text()
			reutersTexts = append(reutersTexts, t)
			reutersBytes += int64(len(t))
		}
	})
	return reutersTexts, reutersBytes
}

// BenchmarkTokenize measures normalization and tokenizing of the whole
// Reuters corpus per iteration; articles/s is b.N·articles / elapsed.
func BenchmarkTokenize(b *testing.B) {
	texts, n := reuters(b)
	b.SetBytes(n)
	b.ReportAllocs()
	var tk textnorm.Tokenizer
	var toks []uint64
	for b.Loop() {
		for _, t := range texts {
			toks = tk.HashTokens(toks[:0], t, 1)
		}
	}
	b.ReportMetric(float64(len(texts))*float64(b.N)/b.Elapsed().Seconds(), "articles/s")
}

// BenchmarkShingle measures 5-word shingling of pre-hashed tokens.
func BenchmarkShingle(b *testing.B) {
	texts, n := reuters(b)
	var tk textnorm.Tokenizer
	toks := make([][]uint64, len(texts))
	for i, t := range texts {
		toks[i] = tk.HashTokens(nil, t, 1)
	}
	b.SetBytes(n)
	b.ReportAllocs()
	var sh []uint64
	for b.Loop() {
		for _, t := range toks {
			sh = textnorm.Shingles(sh[:0], t, 5)
		}
	}
	b.ReportMetric(float64(len(texts))*float64(b.N)/b.Elapsed().Seconds(), "articles/s")
}

// BenchmarkBaselineHash hashes the same corpus bytes with xxh3 in one pass:
// the floor of any tokenizer that reads every byte, measured in the same run
// so that Tokenize can be quoted as a ratio of it.
func BenchmarkBaselineHash(b *testing.B) {
	texts, n := reuters(b)
	b.SetBytes(n)
	b.ReportAllocs()
	var sink uint64
	for b.Loop() {
		for _, t := range texts {
			sink ^= xxh3.HashString(t)
		}
	}
	_ = sink
}
