package align_test

import (
	"math"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"

	"github.com/newsdedup/newsdedup"
	"github.com/newsdedup/newsdedup/align"
)

func TestCompare(t *testing.T) {
	for _, tc := range []struct {
		a, b              []uint64
		shared            int
		jaccard, contains float64
	}{
		{[]uint64{1, 2, 3, 4}, []uint64{1, 2, 3, 4}, 4, 1, 1},
		{[]uint64{1, 2, 3, 4}, []uint64{3, 4, 5, 6}, 2, 2.0 / 6, 0.5},
		{[]uint64{1, 2}, []uint64{1, 2, 3, 4, 5, 6, 7, 8}, 2, 0.25, 1}, // a inside b
		{[]uint64{1, 2}, []uint64{3, 4}, 0, 0, 0},
		{nil, []uint64{1}, 0, 0, 0},
		{nil, nil, 0, 0, 0},
	} {
		s := align.Compare(tc.a, tc.b)
		if s.Shared != tc.shared || math.Abs(s.Jaccard-tc.jaccard) > 1e-9 || math.Abs(s.Containment-tc.contains) > 1e-9 {
			t.Errorf("Compare(%v, %v)=%+v, want shared %d jaccard %.3f containment %.3f", tc.a, tc.b, s, tc.shared, tc.jaccard, tc.contains)
		}
	}
}

func TestAlignEvidence(t *testing.T) {
	p := newsdedup.DefaultParams
	a := []string{
		"US Secretary of State Antony Blinken held talks with China's top diplomat in Jakarta on Thursday.",
		"Meanwhile, the German government is expected to release a strategy document on its approach to ties with China.",
		"Li, a military general, currently faces US sanctions, which Beijing has repeatedly criticized.",
	}
	b := []string{
		"US Secretary of State Antony Blinken held talks with China's top diplomat in Jakarta on Thursday.",
		"The meeting was part of ongoing efforts to maintain open channels of communication, a spokesman said.",
		"Meanwhile, the German government released a strategy document on its approach to ties with China on the same day.",
	}
	ev := align.Align(align.Paragraphs(p, a), align.Paragraphs(p, b)).Evidence(0)
	want := newsdedup.Evidence{Kept: 1, Changed: 1, Removed: 1, Added: 1, Longest: 2}
	if !reflect.DeepEqual(*ev, want) {
		t.Errorf("Evidence=%+v, want %+v", *ev, want)
	}
}

// TestFilterBoundsOverlap checks that SharedAtMost never falls below the
// true overlap, on random sets sharing some hashes.
func TestFilterBoundsOverlap(t *testing.T) {
	seed := rand.Uint64()
	t.Logf("seed %d", seed)
	r := rand.New(rand.NewPCG(seed, 2))
	tight := 0
	for k := range 1000 {
		var a, b []uint64
		for range r.IntN(300) {
			h := r.Uint64()
			switch r.IntN(3) {
			case 0:
				a, b = append(a, h), append(b, h)
			case 1:
				a = append(a, h)
			default:
				b = append(b, h)
			}
		}
		slices.Sort(a)
		slices.Sort(b)
		var f align.Filter
		f.Reset(a)
		got, want := f.SharedAtMost(b), align.Overlap(a, b)
		if got < want {
			t.Fatalf("case %d (seed %d): SharedAtMost=%d, below Overlap=%d", k, seed, got, want)
		}
		if tops := f.SharedAtMostTops(align.Tops(b)); tops != got {
			t.Fatalf("case %d (seed %d): SharedAtMostTops=%d, SharedAtMost=%d", k, seed, tops, got)
		}
		if got == want {
			tight++
		}
	}
	if tight == 0 {
		t.Fatalf("the bound was never the overlap")
	}
}
