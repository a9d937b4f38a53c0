package align_test

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

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
	}
}
