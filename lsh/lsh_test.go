package lsh_test

import (
	"fmt"
	"maps"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/newsdedup/newsdedup"
	"github.com/newsdedup/newsdedup/fingerprint"
	"github.com/newsdedup/newsdedup/lsh"
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

// TestIndexMatchesNaive checks the flat index against a map of band keys
// over enough signatures to grow every table several times, with shared
// bands and ids added out of order.
func TestIndexMatchesNaive(t *testing.T) {
	p := newsdedup.DefaultParams
	nh := p.Bands * p.Rows
	r := rand.New(rand.NewPCG(1, 2))
	const n = 6000
	sigs := make([][]uint64, n)
	for i := range sigs {
		sigs[i] = make([]uint64, nh)
		for j := range sigs[i] {
			sigs[i][j] = r.Uint64()
		}
		if i > 0 && r.IntN(3) == 0 { // a copy: shares some bands with an earlier one
			src := sigs[r.IntN(i)]
			for b := range p.Bands {
				if r.IntN(4) == 0 {
					copy(sigs[i][b*p.Rows:(b+1)*p.Rows], src[b*p.Rows:(b+1)*p.Rows])
				}
			}
		}
	}
	x := lsh.New(p)
	naive := make([]map[string][]int32, p.Bands)
	for b := range naive {
		naive[b] = map[string][]int32{}
	}
	order := r.Perm(n)
	for _, i := range order {
		x.Add(int32(i), sigs[i])
		for b := range p.Bands {
			k := fmt.Sprint(sigs[i][b*p.Rows : (b+1)*p.Rows])
			naive[b][k] = append(naive[b][k], int32(i))
		}
	}
	bulk := lsh.New(p) // the same, added in bulk by band from their keys
	var keys []uint32
	for _, sig := range sigs {
		keys = bulk.Keys(sig, keys)
	}
	bulk.AddMany(0, keys, 3)
	for _, i := range order[:500] {
		got, gotBulk := map[int32]int{}, map[int32]int{}
		x.Query(sigs[i], func(id int32) { got[id]++ })
		bulk.Query(sigs[i], func(id int32) { gotBulk[id]++ })
		if !maps.Equal(got, gotBulk) {
			t.Fatalf("query %d: one by one %v, in bulk %v", i, got, gotBulk)
		}
		want := map[int32]int{}
		for b := range p.Bands {
			for _, id := range naive[b][fmt.Sprint(sigs[i][b*p.Rows:(b+1)*p.Rows])] {
				want[id]++
			}
		}
		if !maps.Equal(got, want) {
			t.Fatalf("query %d: got %v, want %v", i, got, want)
		}
	}
}

// TestAnchorsAddManyMatchesAdd checks that building anchors in bulk gives
// what adding them one article at a time gives, stop list included.
func TestAnchorsAddManyMatchesAdd(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	anchors := make([][]uint64, 3000)
	for i := range anchors {
		for range 1 + r.IntN(12) {
			anchors[i] = append(anchors[i], r.Uint64N(2000)*0x9E3779B97F4A7C15) // spread over the shards
		}
	}
	one, bulk := lsh.NewAnchors(8), lsh.NewAnchors(8)
	for i, as := range anchors {
		one.Add(int32(i), as)
	}
	bulk.AddMany(0, anchors, 3)
	// The reference: a map of posting lists, an anchor dropped for good
	// once it has more than 8 articles.
	naive, stopped := map[uint64][]int32{}, map[uint64]bool{}
	for i, as := range anchors {
		for _, a := range as {
			if !stopped[a] {
				naive[a] = append(naive[a], int32(i))
				if len(naive[a]) > 8 {
					delete(naive, a)
					stopped[a] = true
				}
			}
		}
	}
	if len(stopped) == 0 || len(naive) == 0 {
		t.Fatalf("test data: %d anchors stopped, %d kept", len(stopped), len(naive))
	}
	for i := range 300 {
		var a, b, want []int32
		one.Query(anchors[i], func(id int32) { a = append(a, id) })
		bulk.Query(anchors[i], func(id int32) { b = append(b, id) })
		if !slices.Equal(a, b) {
			t.Fatalf("article %d: one by one %v, in bulk %v", i, a, b)
		}
		for _, x := range anchors[i] {
			want = append(want, naive[x]...)
		}
		slices.Sort(a)
		slices.Sort(want)
		if !slices.Equal(a, want) {
			t.Fatalf("article %d: got %v, want %v", i, a, want)
		}
	}
}

// TestSortedMatchesIndex checks the sorted index against the chained one
// over signatures sharing bands, empty texts (all keys 0) among them:
// Earlier finds what Query finds below the id, QueryKeys what Query finds.
func TestSortedMatchesIndex(t *testing.T) {
	p := newsdedup.DefaultParams
	r := rand.New(rand.NewPCG(5, 6))
	const n = 1000
	x := lsh.New(p)
	var keys []uint32
	for i := range n {
		sig := make([]uint64, p.NumHash())
		for j := range sig {
			sig[j] = r.Uint64N(8) // few values: many shared bands, large buckets
		}
		if i%97 == 0 { // an empty text
			keys = append(keys, make([]uint32, p.Bands)...)
			continue
		}
		keys = x.Keys(sig, keys)
	}
	x.AddMany(0, keys, 2)
	s := lsh.NewSorted(p, keys, 3)
	if s.Len() != n {
		t.Fatalf("Len()=%d, want %d", s.Len(), n)
	}
	for i := range int32(n) {
		k := keys[int(i)*p.Bands : int(i+1)*p.Bands]
		want, wantEarlier := map[int32]int{}, map[int32]int{}
		if k[0] != 0 {
			x.QueryKeys(k, func(id int32) {
				want[id]++
				if id < i {
					wantEarlier[id]++
				}
			})
		}
		got, gotEarlier := map[int32]int{}, map[int32]int{}
		s.QueryKeys(k, func(id int32) { got[id]++ })
		s.Earlier(i, func(id int32) { gotEarlier[id]++ })
		if !maps.Equal(got, want) {
			t.Fatalf("QueryKeys(%d)=%v, want %v", i, got, want)
		}
		if !maps.Equal(gotEarlier, wantEarlier) {
			t.Fatalf("Earlier(%d)=%v, want %v", i, gotEarlier, wantEarlier)
		}
	}
}

func TestSortedEmpty(t *testing.T) {
	s := lsh.NewSorted(newsdedup.DefaultParams, nil, 2)
	if s.Len() != 0 {
		t.Fatalf("Len()=%d, want 0", s.Len())
	}
	s.QueryKeys(make([]uint32, newsdedup.DefaultParams.Bands), func(id int32) { t.Fatalf("found %d in an empty index", id) })
}

// TestSortedAnchorsMatchesAnchors checks the sorted anchor index against
// Anchors once all articles are added: Earlier finds what Query finds
// below the id, boilerplate anchors and anchors 0 and 1 included.
func TestSortedAnchorsMatchesAnchors(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 10))
	const n, maxPosting = 2000, 5
	anchors := make([][]uint64, n)
	for i := range anchors {
		var as []uint64
		for range r.IntN(30) {
			switch r.IntN(10) {
			case 0:
				as = append(as, r.Uint64N(2)) // 0 and 1: one anchor
			case 1, 2:
				as = append(as, r.Uint64N(3000)<<40) // shared, some boilerplate
			default:
				as = append(as, r.Uint64())
			}
		}
		slices.Sort(as)
		anchors[i] = slices.Compact(as)
	}
	x := lsh.NewAnchors(maxPosting)
	x.AddMany(0, anchors, 2)
	s := lsh.NewSortedAnchors(maxPosting, anchors, 3)
	boiler := 0
	for i := range int32(n) {
		want, got := map[int32]int{}, map[int32]int{}
		x.Query(anchors[i], func(id int32) {
			if id < i {
				want[id]++
			}
		})
		s.Earlier(i, func(id int32) { got[id]++ })
		if !maps.Equal(got, want) {
			t.Fatalf("Earlier(%d)=%v, want %v", i, got, want)
		}
		if len(want) == 0 && len(anchors[i]) > 0 {
			boiler++
		}
	}
	if boiler == 0 {
		t.Fatalf("no article without earlier anchors: the test tests too little")
	}
}
