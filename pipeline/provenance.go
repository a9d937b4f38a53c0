package pipeline

import (
	"cmp"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/newsdedup/newsdedup"
	"github.com/newsdedup/newsdedup/align"
	"github.com/newsdedup/newsdedup/fingerprint"
)

// The relations a result reports grow with the articles, not with their
// pairs. Every candidate pair is verified, and families are built over all
// the copy relations found (the chaining guard needs them), but a family of
// m copies has up to m(m-1)/2 of them, of which a reader of provenance
// needs two per copy:
//
//   - each copy is related to its family's original (verified on demand
//     when the two were not candidates of each other), and
//   - to the member it is closest to (its strongest relation inside the
//     family), which shows who copied whom when copies were copied;
//   - between families (partial reuse, or copies the chaining guard kept
//     apart), each article keeps its strongest relation to each other
//     family.
//
// Any other pair is computed when asked for (Engine.Compare, behind `diff`
// and the API's diff). Near-empty texts relate to the first identical text
// only (relate.Thresholds.NearEmpty).

// provenance returns the relations of rels to report, as described above,
// in the order rels has them (by later article, then earlier one, in input
// order), with relations to originals verified on demand where rels has
// none, without evidence (see withEvidence).
func provenance(cfg Config, arts []*newsdedup.Article, prints []fingerprint.Print, fams []newsdedup.Family, rels []newsdedup.Relation) []newsdedup.Relation {
	pos := make(map[newsdedup.ArticleID]int, len(arts))
	for i, a := range arts {
		pos[a.ID] = i
	}
	famOf := make([]int, len(arts))
	original := make([]int, len(fams)) // family -> its original's index
	for f, fam := range fams {
		original[f] = pos[fam.Original]
		for _, id := range fam.Members {
			famOf[pos[id]] = f
		}
	}
	keep := make([]bool, len(rels))
	closest := make([]int, len(arts)) // article -> its strongest relation in its family, or -1
	toOriginal := make([]bool, len(arts))
	for i := range closest {
		closest[i] = -1
	}
	type across struct{ art, fam int }
	strongest := make(map[across]int) // strongest relation of an article to another family
	better := func(k, than int) bool {
		return than < 0 || rels[k].Score > rels[than].Score
	}
	for k, r := range rels {
		a, okA := pos[r.A]
		b, okB := pos[r.B]
		if !okA || !okB {
			keep[k] = true // not ours to judge
			continue
		}
		if fa, fb := famOf[a], famOf[b]; fa != fb {
			for _, x := range []across{{a, fb}, {b, fa}} {
				if j, ok := strongest[x]; !ok || better(k, j) {
					strongest[x] = k
				}
			}
			continue
		}
		f := famOf[a]
		for _, m := range []int{a, b} {
			if better(k, closest[m]) {
				closest[m] = k
			}
		}
		if a == original[f] || b == original[f] {
			keep[k] = true
			toOriginal[a], toOriginal[b] = true, true
		}
	}
	for i, k := range closest {
		if k >= 0 && i != original[famOf[i]] {
			keep[k] = true
		}
	}
	for _, k := range strongest {
		keep[k] = true
	}
	kept := 0
	for _, k := range keep {
		if k {
			kept++
		}
	}
	out := make([]newsdedup.Relation, 0, kept)
	for k, r := range rels {
		if keep[k] {
			out = append(out, r)
		}
	}
	// Copies not related to their original by a candidate pair (they joined
	// the family through other members): verify the pair now.
	var missing [][2]int
	for i := range arts {
		o := original[famOf[i]]
		if i != o && !toOriginal[i] {
			missing = append(missing, [2]int{min(i, o), max(i, o)})
		}
	}
	found := make([]*newsdedup.Relation, len(missing))
	vcfg := cfg
	vcfg.Evidence = false
	parallel(cfg, len(missing), func(k int) {
		a, b := missing[k][0], missing[k][1]
		if r, ok := verify(vcfg, arts[a], arts[b], &prints[a], &prints[b]); ok {
			found[k] = &r
		}
	})
	for _, r := range found {
		if r != nil {
			out = append(out, *r)
		}
	}
	slices.SortStableFunc(out, func(x, y newsdedup.Relation) int {
		if c := cmp.Compare(pos[x.B], pos[y.B]); c != 0 {
			return c
		}
		return cmp.Compare(pos[x.A], pos[y.A])
	})
	return out
}

// withEvidence gives every relation of rels without evidence its paragraph
// alignment, on cfg's workers. Each article's paragraphs are made ready to
// align once (an original is related to each of its copies), and dropped
// after its last relation.
func withEvidence(cfg Config, arts []*newsdedup.Article, prints []fingerprint.Print, pos map[newsdedup.ArticleID]int, rels []newsdedup.Relation) {
	type pair struct{ a, b int32 } // article indexes, -1: the relation needs no evidence
	pairs := make([]pair, len(rels))
	t := newTexts(cfg.Params, arts)
	for k, r := range rels {
		a, okA := pos[r.A]
		b, okB := pos[r.B]
		if r.Evidence != nil || !okA || !okB {
			pairs[k] = pair{-1, -1}
			continue
		}
		pairs[k] = pair{int32(a), int32(b)}
		t.uses[a]++
		t.uses[b]++
	}
	// The relations are aligned a family at a time (a connected set of
	// relations), so that each article's Text lives only while its family
	// is aligned: in input order, an original's Text waited for its last
	// copy, and the Texts of a corpus's originals were all live at once
	// (some 300 MB at 190,000 articles).
	order := byComponent(len(arts), len(rels), func(k int) (int32, int32) { return pairs[k].a, pairs[k].b })
	parallel(cfg, len(order), func(o int) {
		k := order[o]
		a, b := pairs[k].a, pairs[k].b
		if a < 0 {
			return
		}
		shared := align.Compare(prints[a].Shingles, prints[b].Shingles).Shared
		rels[k].Evidence = align.AlignTexts(t.get(a), t.get(b)).Evidence(shared)
		t.done(a)
		t.done(b)
	})
}

// byComponent returns the indexes of m pairs of n nodes (pair(k) gives
// pair k's nodes, -1 for none) grouped by connected component, each group
// in the order of its first pair, and in order within it.
func byComponent(n, m int, pair func(k int) (int32, int32)) []int {
	parent := make([]int32, n)
	for i := range parent {
		parent[i] = int32(i)
	}
	find := func(x int32) int32 {
		for parent[x] != x {
			parent[x] = parent[parent[x]]
			x = parent[x]
		}
		return x
	}
	for k := range m {
		if a, b := pair(k); a >= 0 && b >= 0 {
			ra, rb := find(a), find(b)
			parent[max(ra, rb)] = min(ra, rb)
		}
	}
	// A group's key is the index of its first pair (pairs with no node
	// are each their own group).
	first := make(map[int32]int)
	key := make([]int, m)
	for k := range m {
		a, _ := pair(k)
		if a < 0 {
			key[k] = k
			continue
		}
		r := find(a)
		f, ok := first[r]
		if !ok {
			f = k
			first[r] = k
		}
		key[k] = f
	}
	order := make([]int, m)
	for k := range order {
		order[k] = k
	}
	slices.SortStableFunc(order, func(x, y int) int { return cmp.Compare(key[x], key[y]) })
	return order
}

// texts makes the align.Text of an article when first asked, and drops it
// once it was asked for as many times as uses said. Its methods may be
// called concurrently once uses is set.
type texts struct {
	p    newsdedup.Params
	arts []*newsdedup.Article
	once []sync.Once
	text []*align.Text
	uses []int32 // atomic once counting is done
}

func newTexts(p newsdedup.Params, arts []*newsdedup.Article) *texts {
	return &texts{p: p, arts: arts, once: make([]sync.Once, len(arts)), text: make([]*align.Text, len(arts)), uses: make([]int32, len(arts))}
}

// get returns the Text of article i.
func (t *texts) get(i int32) *align.Text {
	t.once[i].Do(func() { t.text[i] = align.NewText(t.p, t.arts[i].Body) })
	return t.text[i]
}

// done says one use of article i's Text is over.
func (t *texts) done(i int32) {
	if atomic.AddInt32(&t.uses[i], -1) == 0 {
		t.text[i] = nil
	}
}
