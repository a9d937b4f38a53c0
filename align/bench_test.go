package align_test

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/newsdedup/newsdedup"
	"github.com/newsdedup/newsdedup/align"
)

// BenchmarkCompare measures verifying one candidate pair: the exact Jaccard
// and containment of two sorted shingle sets sharing half their shingles.
func BenchmarkCompare(b *testing.B) {
	r := rand.New(rand.NewPCG(5, 6))
	for _, n := range []int{150, 1500} {
		x, y := make([]uint64, n), make([]uint64, n)
		for i := range x {
			x[i] = r.Uint64()
			if i%2 == 0 {
				y[i] = x[i]
			} else {
				y[i] = r.Uint64()
			}
		}
		slices.Sort(x)
		slices.Sort(y)
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			b.SetBytes(int64(16 * n))
			b.ReportAllocs()
			for b.Loop() {
				if s := align.Compare(x, y); s.Shared != n/2 {
					b.Fatalf("shared %d, want %d", s.Shared, n/2)
				}
			}
		})
		var f align.Filter
		f.Reset(y)
		b.Run(fmt.Sprint("Filter/", n), func(b *testing.B) {
			b.SetBytes(int64(8 * n))
			b.ReportAllocs()
			for b.Loop() {
				if s := f.SharedAtMost(x); s < n/2 {
					b.Fatalf("bound %d, below the %d shared", s, n/2)
				}
			}
		})
	}
}

// BenchmarkText measures making a text's Text and aligning two Texts, for
// texts of 20 paragraphs of 15 words, and of 200.
func BenchmarkText(b *testing.B) {
	p := newsdedup.DefaultParams
	r := rand.New(rand.NewPCG(7, 8))
	for _, n := range []int{20, 200} {
		text := func() []string {
			paras := make([]string, n)
			for i := range paras {
				var ws []string
				for range 15 {
					ws = append(ws, fmt.Sprint("w", r.IntN(5000)))
				}
				paras[i] = strings.Join(ws, " ")
			}
			return paras
		}
		x, y := text(), text()
		copy(y[n/2:], x) // half of y's paragraphs are x's
		size := 0
		for _, s := range x {
			size += len(s)
		}
		b.Run(fmt.Sprint("NewText/", n), func(b *testing.B) {
			b.SetBytes(int64(size))
			b.ReportAllocs()
			for b.Loop() {
				align.NewText(p, x)
			}
		})
		tx, ty := align.NewText(p, x), align.NewText(p, y)
		b.Run(fmt.Sprint("AlignTexts/", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if ev := align.AlignTexts(tx, ty).Evidence(0); ev.Kept < n/2 {
					b.Fatalf("kept %d paragraphs, want at least %d", ev.Kept, n/2)
				}
			}
		})
	}
}
