package cluster

import (
	"math/rand/v2"
	"testing"
)

// termSums must agree with a map on any sequence of additions.
func TestTermSums(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	var ts termSums
	want := make(map[uint32]float64)
	for i := range 20000 {
		term := uint32(rng.IntN(3000))
		if i%7 == 0 {
			term = uint32(rng.Uint32() >> 1) // far apart IDs too
		}
		x := rng.Float64() - 0.3
		ts.add(term, x)
		want[term] += x
	}
	for term, w := range want {
		if got := ts.get(term); got != w {
			t.Fatalf("get(%d)=%v, want %v", term, got, w)
		}
	}
	for range 1000 {
		term := uint32(rng.Uint32())
		if _, ok := want[term]; !ok && ts.get(term) != 0 {
			t.Fatalf("get(%d)=%v for a term never added, want 0", term, ts.get(term))
		}
	}
	var empty termSums
	if empty.get(5) != 0 {
		t.Fatal("empty table returns a sum")
	}
}
