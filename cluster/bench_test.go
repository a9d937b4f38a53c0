package cluster_test

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/newsdedup/newsdedup"
	"github.com/newsdedup/newsdedup/cluster"
)

// BenchmarkStories measures placing articles in stories one at a time, in
// a clusterer that already holds n articles (Zipf-distributed words, so
// that posting lists are as skewed as in news).
func BenchmarkStories(b *testing.B) {
	r := rand.New(rand.NewPCG(7, 8))
	z := rand.NewZipf(rand.New(rand.NewPCG(9, 10)), 1.1, 1, 20_000)
	feat := func() cluster.Features {
		f := cluster.Features{Terms: map[string]float64{}, Content: 150}
		for range 150 {
			f.Terms[fmt.Sprint("w", z.Uint64())]++
		}
		return f
	}
	day := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, n := range []int{1_000, 10_000} {
		feats := make([]cluster.Features, n+1000)
		for i := range feats {
			feats[i] = feat()
		}
		// Without revision, as the baseline of its cost.
		noRevise := cluster.DefaultStoryConfig
		noRevise.Revise = 0
		for _, v := range []struct {
			name string
			cfg  cluster.StoryConfig
		}{{"", cluster.DefaultStoryConfig}, {"/no-revision", noRevise}} {
			b.Run(fmt.Sprint(n)+v.name, func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					c := cluster.NewStories(v.cfg)
					for _, f := range feats {
						c.Add(f, day.Add(time.Duration(r.IntN(3600*24*30))*time.Second), -1)
					}
				}
				b.ReportMetric(float64(len(feats))*float64(b.N)/b.Elapsed().Seconds(), "articles/s")
			})
		}
	}
}

// BenchmarkFamilies measures building copy families from relations: n
// articles in families of five, every two members related.
func BenchmarkFamilies(b *testing.B) {
	for _, n := range []int{10_000, 100_000} {
		as := arts(n)
		var rels []newsdedup.Relation
		for i := 0; i < n; i++ {
			for j := i - i%5; j < i; j++ {
				rels = append(rels, rel(j, i, "reprint", 0.5+float64(i%5)/10))
			}
		}
		words := func(int) int { return 100 }
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if fams := cluster.Families(cluster.DefaultFamilyConfig, as, rels, words); len(fams) != n/5 {
					b.Fatalf("%d families, want %d", len(fams), n/5)
				}
			}
			b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "articles/s")
		})
	}
}
