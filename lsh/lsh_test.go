package lsh_test

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"newsdedup"
	"newsdedup/fingerprint"
	"newsdedup/lsh"
)

func TestProb(t *testing.T) {
	p := newsdedup.DefaultParams
	for _, tc := range []struct{ s, want float64 }{
		{0, 0}, {0.1, 0.4744}, {0.2, 0.9266}, {0.3, 0.9976}, {0.5, 1}, {1, 1},
	} {
		if got := lsh.Prob(p, tc.s); math.Abs(got-tc.want) > 0.0005 {
			t.Errorf("Prob(%.1f)=%.4f, want %.4f", tc.s, got, tc.want)
		}
	}
}

func TestIndexFindsSimilar(t *testing.T) {
	p := newsdedup.DefaultParams
	r := rand.New(rand.NewPCG(1, 2))
	base := make([]uint64, 400)
	for i := range base {
		base[i] = r.Uint64()
	}
	mk := func(keep int, extra int) []uint64 {
		s := slices.Clone(base[:keep])
		for range extra {
			s = append(s, r.Uint64())
		}
		slices.Sort(s)
		return fingerprint.Signature(p, s)
	}
	x := lsh.New(p)
	x.Add(0, mk(400, 0))   // the original
	x.Add(1, mk(240, 160)) // Jaccard 240/560 = 0.43
	x.Add(2, mk(0, 400))   // unrelated
	got := map[int32]bool{}
	x.Query(mk(400, 0), func(id int32) { got[id] = true })
	if !got[0] || !got[1] {
		t.Errorf("query missed a copy: got %v", got)
	}
	if got[2] {
		t.Errorf("query returned an unrelated text")
	}
}

func TestAnchorsStopsBoilerplate(t *testing.T) {
	x := lsh.NewAnchors(3)
	for id := range int32(5) {
		x.Add(id, []uint64{7, uint64(100 + id)})
	}
	var got []int32
	x.Query([]uint64{7}, func(id int32) { got = append(got, id) })
	if len(got) != 0 {
		t.Errorf("anchor held by 5 > 3 articles still returns %v", got)
	}
	got = nil
	x.Query([]uint64{102}, func(id int32) { got = append(got, id) })
	if !slices.Equal(got, []int32{2}) {
		t.Errorf("Query(102)=%v, want [2]", got)
	}
}
