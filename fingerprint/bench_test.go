package fingerprint_test

import (
	"os"
	"testing"

	"github.com/newsdedup/newsdedup"
	"github.com/newsdedup/newsdedup/eval"
	"github.com/newsdedup/newsdedup/fingerprint"
)

const reutersDir = "../../shared/eval/throughput/reuters21578"

func reuters(b *testing.B) []*newsdedup.Article {
	b.Helper()
	if _, err := os.Stat(reutersDir); err != nil {
		b.Skipf("Reuters corpus absent (%v): needs ../shared beside the repository", err)
	}
	arts, err := eval.Reuters(reutersDir)
	if err != nil {
		b.Fatal(err)
	}
	return arts
}

func size(arts []*newsdedup.Article) (n int64) {
	for _, a := range arts {
		for _, p := range a.Body {
			n += int64(len(p))
		}
	}
	return n
}

// BenchmarkMinHash measures the signature alone, on the Reuters shingle sets.
func BenchmarkMinHash(b *testing.B) {
	arts := reuters(b)
	p := newsdedup.DefaultParams
	m := fingerprint.NewMaker(p)
	sets := make([][]uint64, len(arts))
	for i, a := range arts {
		sets[i] = m.Make(a.Body).Shingles
	}
	b.SetBytes(size(arts))
	b.ReportAllocs()
	for b.Loop() {
		for _, s := range sets {
			fingerprint.Signature(p, s)
		}
	}
	b.ReportMetric(float64(len(arts))*float64(b.N)/b.Elapsed().Seconds(), "articles/s")
}

// BenchmarkMake measures the whole fingerprint of an article: tokenize,
// shingle, sort, MinHash, exact hash, anchors.
func BenchmarkMake(b *testing.B) {
	arts := reuters(b)
	for _, w := range []int{0, 8} {
		b.Run(map[int]string{0: "no-anchors", 8: "anchors-8"}[w], func(b *testing.B) {
			m := fingerprint.NewMaker(newsdedup.DefaultParams)
			m.AnchorWindow = w
			b.SetBytes(size(arts))
			b.ReportAllocs()
			for b.Loop() {
				for _, a := range arts {
					m.Make(a.Body)
				}
			}
			b.ReportMetric(float64(len(arts))*float64(b.N)/b.Elapsed().Seconds(), "articles/s")
		})
	}
}
