package cluster

import (
	"cmp"
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// topTerms selects what a sort by weight (ties by term) keeps first.
func TestTopTermsIsSortedPrefix(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	for trial := range 2000 {
		m := make(map[string]float64)
		size := 2 + r.IntN(400)
		for k := range size {
			// Few distinct weights: many ties, broken by term.
			m[fmt.Sprintf("t%d", k)] = float64(r.IntN(1 + trial%7))
		}
		n := 1 + r.IntN(size-1)
		keys := slices.Collect(maps.Keys(m))
		slices.SortFunc(keys, func(a, b string) int {
			if c := cmp.Compare(m[b], m[a]); c != 0 {
				return c
			}
			return strings.Compare(a, b)
		})
		got := topTerms(m, n)
		if len(got) != n {
			t.Fatalf("topTerms kept %d of %d; want %d", len(got), size, n)
		}
		for _, k := range keys[:n] {
			if _, ok := got[k]; !ok || got[k] != m[k] {
				t.Fatalf("trial %d: topTerms(%d of %d) lacks %s (weight %v)", trial, n, size, k, m[k])
			}
		}
	}
}
