package align_test

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/newsdedup/newsdedup"
	"github.com/newsdedup/newsdedup/align"
)

// naiveBest is the alignment by hash maps that AlignTexts replaced: each
// paragraph of a against the first paragraph of b holding each shingle.
func naiveBest(a, b [][]uint64) []align.Match {
	where := make(map[uint64]int)
	for j, sh := range b {
		for _, h := range sh {
			if _, ok := where[h]; !ok {
				where[h] = j
			}
		}
	}
	out := make([]align.Match, len(a))
	for i, sh := range a {
		counts := make(map[int]int)
		for _, h := range sh {
			if j, ok := where[h]; ok {
				counts[j]++
			}
		}
		m := align.Match{Index: -1, Size: len(sh)}
		bestN := 0
		for j, n := range counts {
			if n > bestN || n == bestN && j < m.Index {
				m.Index, bestN = j, n
			}
		}
		if len(sh) > 0 && bestN > 0 {
			m.Cover = float64(bestN) / float64(len(sh))
		}
		out[i] = m
	}
	return out
}

// randomParas returns n paragraph sets of hashes below space (few values:
// shingles repeated across paragraphs), some empty.
func randomParas(r *rand.Rand, n int, space uint64) [][]uint64 {
	out := make([][]uint64, n)
	for i := range out {
		var sh []uint64
		for range r.IntN(12) {
			sh = append(sh, r.Uint64N(space))
		}
		slices.Sort(sh)
		out[i] = slices.Compact(sh)
	}
	return out
}

// TestAlignMatchesNaive checks Align against hash maps on random paragraph
// sets, few paragraphs (counted in a matrix) and many (in a list).
func TestAlignMatchesNaive(t *testing.T) {
	seed := rand.Uint64()
	t.Logf("seed %d", seed)
	r := rand.New(rand.NewPCG(seed, 1))
	for k := range 400 {
		na, nb := 1+r.IntN(20), 1+r.IntN(20)
		if k%20 == 0 {
			na, nb = 100+r.IntN(200), 100+r.IntN(200)
		}
		space := uint64(5 + r.IntN(200))
		a, b := randomParas(r, na, space), randomParas(r, nb, space)
		got := align.Align(a, b)
		want := align.Alignment{A: naiveBest(a, b), B: naiveBest(b, a)}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("case %d (seed %d): Align=%+v, want %+v", k, seed, got, want)
		}
	}
}

// TestAlignTextsIsAlign checks that Texts align as their paragraph sets do.
func TestAlignTextsIsAlign(t *testing.T) {
	p := newsdedup.DefaultParams
	r := rand.New(rand.NewPCG(7, 8))
	words := strings.Fields("the a of oil price rose fell said in on Tuesday mln dlrs pct vs shr net")
	text := func() []string {
		paras := make([]string, 1+r.IntN(8))
		for i := range paras {
			var ws []string
			for range r.IntN(15) {
				ws = append(ws, words[r.IntN(len(words))])
			}
			paras[i] = strings.Join(ws, " ")
		}
		return paras
	}
	for k := range 300 {
		a, b := text(), text()
		got := align.AlignTexts(align.NewText(p, a), align.NewText(p, b))
		want := align.Align(align.Paragraphs(p, a), align.Paragraphs(p, b))
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("case %d: AlignTexts=%+v, want %+v", k, got, want)
		}
	}
}

func ExampleAlignTexts() {
	p := newsdedup.DefaultParams
	a := align.NewText(p, []string{"Oil prices rose on Tuesday.", "Traders said supply was tight."})
	b := align.NewText(p, []string{"Traders said supply was tight.", "Oil prices rose sharply on Tuesday."})
	al := align.AlignTexts(a, b)
	for i, m := range al.A {
		fmt.Printf("paragraph %d of A: paragraph %d of B, cover %.2f\n", i, m.Index, m.Cover)
	}
	// Output:
	// paragraph 0 of A: paragraph 1 of B, cover 0.75
	// paragraph 1 of A: paragraph 0 of B, cover 1.00
}
