package pipeline

import (
	"math/rand/v2"
	"slices"
	"testing"
)

func TestCandidateSet(t *testing.T) {
	var c candidateSet
	for _, tc := range []struct {
		before int32
		add    []int32
		want   []int32
	}{
		{3, []int32{2, 0, 2, 3, 5, 0}, []int32{2, 0}}, // each once, none from before on
		{6, []int32{5, 2, 5}, []int32{5, 2}},          // marks of the last article do not carry over
		{0, []int32{0, 1}, nil},
	} {
		c.reset(tc.before)
		for _, id := range tc.add {
			c.add(id)
		}
		if !slices.Equal(c.ids, tc.want) {
			t.Errorf("before=%d add %v: ids=%v, want %v", tc.before, tc.add, c.ids, tc.want)
		}
	}
	// A wrapped generation clears the marks.
	c.gen = ^uint32(0)
	c.reset(6)
	c.add(2)
	c.add(2)
	if c.gen != 1 || !slices.Equal(c.ids, []int32{2}) {
		t.Errorf("after wrapping: gen=%d ids=%v, want 1 and [2]", c.gen, c.ids)
	}
}

// keepClosest keeps the candidates that share the most bands, the later
// first among equals, and lets an anchor find a dropped one again.
func TestCandidateSetKeepClosest(t *testing.T) {
	var c candidateSet
	c.reset(10)
	for _, id := range []int32{3, 5, 3, 7, 3, 5, 1, 9, 12} {
		c.addBand(id)
	}
	c.keepClosest(3)
	if want := []int32{3, 5, 9}; !slices.Equal(c.ids, want) {
		t.Fatalf("ids=%v, want %v", c.ids, want)
	}
	c.add(7)
	c.add(3)
	if want := []int32{3, 5, 9, 7}; !slices.Equal(c.ids, want) {
		t.Fatalf("after anchors: ids=%v, want %v", c.ids, want)
	}
	c.reset(10)
	c.addBand(2)
	c.keepClosest(0)
	if !slices.Equal(c.ids, []int32{2}) || c.hits[2] != 1 {
		t.Fatalf("a new article: ids=%v hits=%d, want [2] and 1", c.ids, c.hits[2])
	}
}

// TestKeepClosestIsSortedCut checks keepClosest against sorting the
// candidates by bands shared, the later first among equals, and cutting,
// on random candidates.
func TestKeepClosestIsSortedCut(t *testing.T) {
	seed := rand.Uint64()
	t.Logf("seed %d", seed)
	r := rand.New(rand.NewPCG(seed, 3))
	var c candidateSet
	for k := range 500 {
		c.reset(1000)
		for range r.IntN(3000) {
			c.addBand(int32(r.IntN(1000)))
		}
		want := slices.Clone(c.ids)
		slices.SortFunc(want, func(a, b int32) int {
			if c.hits[a] != c.hits[b] {
				return int(c.hits[b]) - int(c.hits[a])
			}
			return int(b - a)
		})
		n := r.IntN(600)
		if n > 0 && n < len(want) {
			want = want[:n]
		}
		c.keepClosest(n)
		got := slices.Clone(c.ids)
		slices.Sort(got)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Fatalf("case %d (seed %d), n=%d: kept %v, want %v", k, seed, n, got, want)
		}
		for _, id := range want {
			if c.mark[id] != c.gen {
				t.Fatalf("case %d: %d kept but not marked", k, id)
			}
		}
	}
}

// byComponent groups pairs by connected component, each group in the order
// of its first pair and in order within it; pairs with no node stay alone.
func TestByComponent(t *testing.T) {
	pairs := [][2]int32{{0, 1}, {2, 3}, {-1, -1}, {1, 4}, {3, 5}, {4, 0}, {6, 7}, {5, 2}}
	got := byComponent(8, len(pairs), func(k int) (int32, int32) { return pairs[k][0], pairs[k][1] })
	want := []int{0, 3, 5, 1, 4, 7, 2, 6}
	if !slices.Equal(got, want) {
		t.Fatalf("byComponent = %v; want %v", got, want)
	}
}
