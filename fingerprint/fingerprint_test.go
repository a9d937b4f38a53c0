package fingerprint_test

import (
	"flag"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/newsdedup/newsdedup"
	"github.com/newsdedup/newsdedup/align"
	"github.com/newsdedup/newsdedup/fingerprint"
	"github.com/newsdedup/newsdedup/textnorm"
)

var quickSeed = flag.Uint64("quick.seed", uint64(time.Now().UnixNano()), "seed of the property tests")

// sets returns two sorted sets of random hashes with n shared and d distinct
// elements each, so their Jaccard is n/(n+2d).
func sets(r *rand.Rand, n, d int) (a, b []uint64) {
	for range n {
		x := r.Uint64()
		a, b = append(a, x), append(b, x)
	}
	for range d {
		a, b = append(a, r.Uint64()), append(b, r.Uint64())
	}
	slices.Sort(a)
	slices.Sort(b)
	return a, b
}

func estimate(p newsdedup.Params, a, b []uint64) float64 {
	sa, sb := fingerprint.Signature(p, a), fingerprint.Signature(p, b)
	eq := 0
	for i := range sa {
		if sa[i] == sb[i] {
			eq++
		}
	}
	return float64(eq) / float64(len(sa))
}

// TestSignatureEstimatesJaccard checks the MinHash property: the share of
// equal slots is an unbiased estimate of Jaccard, also for short texts whose
// bins are mostly filled by densification.
func TestSignatureEstimatesJaccard(t *testing.T) {
	t.Logf("-quick.seed=%d", *quickSeed)
	r := rand.New(rand.NewPCG(*quickSeed, 1))
	p := newsdedup.DefaultParams
	for _, tc := range []struct{ shared, distinct int }{
		{500, 0}, {400, 100}, {300, 300}, {100, 400}, {0, 500}, // long texts
		{20, 10}, {10, 20}, {30, 0}, // short texts: most bins densified
	} {
		want := float64(tc.shared) / float64(tc.shared+2*tc.distinct)
		var sum float64
		const trials = 40
		for range trials {
			a, b := sets(r, tc.shared, tc.distinct)
			sum += estimate(p, a, b)
		}
		got := sum / trials
		// The mean of 40 estimates over 128 slots has a standard error
		// under 0.007; 0.04 is over five of them.
		if math.Abs(got-want) > 0.04 {
			t.Errorf("shared=%d distinct=%d: mean estimate %.3f, want Jaccard %.3f", tc.shared, tc.distinct, got, want)
		}
	}
}

func TestSignatureEdgeCases(t *testing.T) {
	p := newsdedup.DefaultParams
	empty := fingerprint.Signature(p, nil)
	if len(empty) != p.NumHash() {
		t.Fatalf("len(sig)=%d, want %d", len(empty), p.NumHash())
	}
	for _, v := range empty {
		if v != fingerprint.Empty {
			t.Fatalf("empty text has slot %#x, want Empty", v)
		}
	}
	one := fingerprint.Signature(p, []uint64{42})
	for _, v := range one {
		if v == fingerprint.Empty {
			t.Fatalf("one-shingle text left a slot empty after densification")
		}
	}
	if !slices.Equal(one, fingerprint.Signature(p, []uint64{42})) {
		t.Errorf("signature is not deterministic")
	}
	q := p
	q.Seed++
	if slices.Equal(one, fingerprint.Signature(q, []uint64{42})) {
		t.Errorf("signature ignores the seed")
	}
}

func TestMake(t *testing.T) {
	m := fingerprint.NewMaker(newsdedup.DefaultParams)
	m.AnchorWindow = 4
	a := m.Make([]string{"The top US and Chinese diplomats met Thursday.", "They talked for an hour in Jakarta."})
	b := m.Make([]string{"the top us and chinese diplomats met thursday", "They talked for an hour in Jakarta!"})
	if a.Exact != b.Exact || !slices.Equal(a.Sig, b.Sig) {
		t.Errorf("texts equal after normalization have different fingerprints")
	}
	if a.Tokens != 15 {
		t.Errorf("Tokens=%d, want 15", a.Tokens)
	}
	// 8 tokens give 4 shingles, 7 give 3: shingles stop at paragraph ends.
	if len(a.Shingles) != 7 {
		t.Errorf("len(Shingles)=%d, want 7", len(a.Shingles))
	}
	if !slices.IsSorted(a.Shingles) || len(a.Anchors) == 0 {
		t.Errorf("shingles unsorted or no anchors")
	}
	c := m.Make([]string{"They talked for an hour in Jakarta."})
	if c.Exact == a.Exact {
		t.Errorf("different texts share the exact hash")
	}
}

// TestAnchorsGuarantee checks winnowing's guarantee: texts sharing a run of
// w shingles share an anchor.
func TestAnchorsGuarantee(t *testing.T) {
	t.Logf("-quick.seed=%d", *quickSeed)
	r := rand.New(rand.NewPCG(*quickSeed, 2))
	const w = 8
	for range 200 {
		run := make([]uint64, w)
		for i := range run {
			run[i] = r.Uint64()
		}
		var a, b []uint64
		for range r.IntN(50) {
			a = append(a, r.Uint64())
		}
		a = append(a, run...)
		for range r.IntN(50) {
			a = append(a, r.Uint64())
		}
		for range r.IntN(50) {
			b = append(b, r.Uint64())
		}
		b = append(b, run...)
		x, y := fingerprint.Anchors(a, w), fingerprint.Anchors(b, w)
		shared := false
		for _, v := range x {
			if _, ok := slices.BinarySearch(y, v); ok {
				shared = true
			}
		}
		if !shared {
			t.Fatalf("texts sharing %d shingles share no anchor", w)
		}
	}
}

// TestParamsAnalyzer: params name the analysis chain; the default params name this build's
// chain, and a Maker refuses params made with another one or no n-gram size.
func TestParamsAnalyzer(t *testing.T) {
	p := newsdedup.DefaultParams
	if p.Analyzer != textnorm.Analyzer || p.Gram < 1 {
		t.Fatalf("DefaultParams analyzer %q gram %d, want %q and a gram", p.Analyzer, p.Gram, textnorm.Analyzer)
	}
	for _, q := range []newsdedup.Params{
		{Shingle: 5, Bands: 64, Rows: 2, Seed: p.Seed, Gram: 2},                      // a store from before: no analyzer
		{Shingle: 5, Bands: 64, Rows: 2, Seed: p.Seed, Analyzer: textnorm.Analyzer},  // no gram
		{Shingle: 5, Bands: 64, Rows: 2, Seed: p.Seed, Analyzer: "words/0", Gram: 2}, // another chain
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("NewMaker(%+v) did not panic", q)
				}
			}()
			fingerprint.NewMaker(q)
		}()
	}
	// Chinese copies share shingles through their bigrams.
	m := fingerprint.NewMaker(p)
	a := m.Make([]string{"北京时间4月12日，在和马刺的比赛中，拜纳姆倒下的那一瞬间，整个天使城都揪心了。"})
	b := m.Make([]string{"据悉，北京時間4月12日，在和马刺的比赛中，拜纳姆倒下的那一瞬间，整个天使城都揪心了。"})
	if s := align.Compare(a.Shingles, b.Shingles); s.Containment < 0.6 {
		t.Errorf("containment of a house-style Chinese copy %.2f, want >= 0.6", s.Containment)
	}
}
