package pipeline

import (
	"slices"
	"sync"

	"github.com/newsdedup/newsdedup"
	"github.com/newsdedup/newsdedup/align"
	"github.com/newsdedup/newsdedup/fingerprint"
	"github.com/newsdedup/newsdedup/lsh"
	"github.com/newsdedup/newsdedup/relate"
	"github.com/newsdedup/newsdedup/textnorm"
)

// Copy detection, the one way both callers relate an article to the
// articles before it (Copies for a batch, Engine.Add and Engine.Query for a
// stream): gather the candidates that share a signature band, a winnowed
// anchor (a passage taken over) or the URL (captures of one page), then
// verify each on the real shingle sets and let relate decide the kind.

// A copyIndex holds articles by id (their place in arrival order) with the
// indexes that find their copies. Adding is not safe for concurrent use;
// copiesOf calls may run concurrently with each other, each with its own
// candidateSet.
type copyIndex struct {
	arts   []*newsdedup.Article
	prints []fingerprint.Print // a batch keeps no signatures, only band keys
	bands  *lsh.Index
	// sorted and sortedAnchors, if not nil, hold the band keys and the
	// anchors of a batch built at once (addAll) instead of bands and
	// anchors.
	sorted        *lsh.Sorted
	sortedAnchors *lsh.SortedAnchors
	anchors       *lsh.Anchors
	byURL         map[string][]int32
	// empty holds, by emptyKey, the first near-empty text
	// (relate.Thresholds.NearEmpty) with that text: the one its twins are
	// related to. Near-empty texts are in no other index.
	empty map[uint64]int32
	// cold[id] says article id keeps no body and no shingle set in
	// memory: load reads them (from the store) when they are compared.
	// tops[id] of a cold article are its shingles' top 12 bits
	// (align.Tops), which settle most of its pairs unread.
	cold []bool
	tops [][]uint16
	load func(id int32) (*newsdedup.Article, *fingerprint.Print, error)
	// shared: the band keys and anchors are kept in a shared index
	// (Config.Index), not in bands and anchors.
	shared bool
}

// get returns article id and its print, whole: from memory, or read by
// load for a cold article.
func (x *copyIndex) get(id int32) (*newsdedup.Article, *fingerprint.Print, error) {
	if int(id) < len(x.cold) && x.cold[id] {
		return x.load(id)
	}
	return x.arts[id], &x.prints[id], nil
}

// chill makes article id cold: its body and shingle set leave memory.
func (x *copyIndex) chill(id int32) {
	if int(id) >= len(x.cold) {
		x.cold = append(x.cold, make([]bool, int(id)+1-len(x.cold))...)
	}
	if x.cold[id] {
		return
	}
	a := *x.arts[id]
	a.Body = nil
	x.arts[id] = &a
	if int(id) >= len(x.tops) {
		x.tops = append(x.tops, make([][]uint16, int(id)+1-len(x.tops))...)
	}
	x.tops[id] = align.Tops(x.prints[id].Shingles)
	x.prints[id].Shingles = nil
	x.cold[id] = true
}

// sharedAtMost returns f.SharedAtMost of the shingle set of article id, in
// memory or, for a cold article, from its tops, and the set's size.
func (x *copyIndex) sharedAtMost(f *align.Filter, id int32) (shared, size int) {
	if int(id) < len(x.cold) && x.cold[id] {
		return f.SharedAtMostTops(x.tops[id]), len(x.tops[id])
	}
	return f.SharedAtMost(x.prints[id].Shingles), len(x.prints[id].Shingles)
}

// emptyKey is the key of a near-empty text in copyIndex.empty: its exact
// hash with its shingles. The exact hash alone ignores paragraph breaks,
// which shingles do not cross: "Reuter Reuter" and "Reuter\nReuter" share
// it and no shingle, so Decide relates neither to the other, and keyed by
// the exact hash alone the one first seen kept every later twin of the
// other unrelated (41 "Reuter\nReuter" texts in 36 families in 50k lines
// of the peer corpus). Texts with one key are identical paragraph for
// paragraph: Decide relates them.
func emptyKey(pr *fingerprint.Print) uint64 {
	k := pr.Exact
	for _, sh := range pr.Shingles {
		k = textnorm.Mix(k ^ sh)
	}
	return k
}

// newCopyIndex returns an empty copyIndex.
func newCopyIndex(cfg Config) copyIndex {
	return copyIndex{
		bands:   lsh.New(cfg.Params),
		anchors: lsh.NewAnchors(cfg.MaxAnchorPosting),
		byURL:   make(map[string][]int32),
		empty:   make(map[uint64]int32),
	}
}

// add indexes a, with print pr (signature included), under the next id and
// returns that id. A near-empty text is found by its exact hash alone.
func (x *copyIndex) add(cfg Config, a *newsdedup.Article, pr fingerprint.Print) int32 {
	id := int32(len(x.arts))
	x.arts = append(x.arts, a)
	x.prints = append(x.prints, pr)
	if cfg.Thresholds.NearEmpty(pr.Tokens) {
		k := emptyKey(&pr)
		if _, ok := x.empty[k]; !ok {
			x.empty[k] = id
		}
		return id
	}
	if len(pr.Shingles) > 0 && !x.shared {
		x.bands.Add(id, pr.Sig)
		x.anchors.Add(id, pr.Anchors)
	}
	if a.URL != "" {
		x.byURL[a.URL] = append(x.byURL[a.URL], id)
	}
	return id
}

// addAll adds arts, with their prints, as add would one after the other,
// on cfg's workers, their band keys and anchors in x.sorted and
// x.sortedAnchors: copiesOfIndexed finds their copies. keys holds the band keys of their signatures, one article
// after the other (all 0 for an empty text); prints need not hold the
// signatures. x must be empty; it keeps arts and prints. The keys of
// near-empty texts are set to 0: they are indexed by exact hash alone.
func (x *copyIndex) addAll(cfg Config, arts []*newsdedup.Article, prints []fingerprint.Print, keys []uint32) {
	x.arts, x.prints = arts, prints
	anchorSets := make([][]uint64, len(arts))
	nb := cfg.Params.Bands
	for i := range arts {
		if cfg.Thresholds.NearEmpty(prints[i].Tokens) {
			clear(keys[i*nb : (i+1)*nb])
			k := emptyKey(&prints[i])
			if _, ok := x.empty[k]; !ok {
				x.empty[k] = int32(i)
			}
			continue
		}
		anchorSets[i] = prints[i].Anchors
	}
	var wg sync.WaitGroup
	wg.Go(func() { x.sorted = lsh.NewSorted(cfg.Params, keys, workers(cfg)) })
	wg.Go(func() { x.sortedAnchors = lsh.NewSortedAnchors(cfg.MaxAnchorPosting, anchorSets, workers(cfg)) })
	wg.Wait()
	for i, a := range arts {
		if a.URL != "" {
			x.byURL[a.URL] = append(x.byURL[a.URL], int32(i))
		}
	}
}

// keys appends to dst the band keys of pr's signature, none for an empty
// text, and returns it: the keys copiesOf takes.
func (x *copyIndex) keys(pr *fingerprint.Print, dst []uint32) []uint32 {
	if len(pr.Shingles) == 0 {
		return dst
	}
	return x.bands.Keys(pr.Sig, dst)
}

// copiesOf returns the copy relations of a, with print pr and band keys
// keys (none, or all 0, for an empty text), to the articles indexed before
// id before, in id order: every article that shares a band, an anchor or
// the URL with a, verified. An article with a's ID is not its own copy;
// distinct says none of those before has it, and spares comparing IDs. c
// is scratch space. It runs in O(bands + candidates) lookups, then one
// verification per candidate. A near-empty text has one candidate at most,
// the first identical text, and is no other article's candidate. If a cold
// candidate cannot be read, it sets c.err and returns nil.
func (x *copyIndex) copiesOf(cfg Config, c *candidateSet, a *newsdedup.Article, pr *fingerprint.Print, keys []uint32, before int32, distinct bool) []newsdedup.Relation {
	return x.copiesFrom(cfg, c, a, pr, before, distinct, func() {
		if len(keys) > 0 && keys[0] != 0 {
			x.bands.QueryKeys(keys, c.addBand)
			c.keepClosest(cfg.MaxCandidates)
		}
		x.anchors.Query(pr.Anchors, c.add)
	})
}

// copiesOfIndexed is copiesOf for article id of a batch indexed by addAll,
// with the articles before it. The articles' IDs must be distinct.
func (x *copyIndex) copiesOfIndexed(cfg Config, c *candidateSet, id int32) []newsdedup.Relation {
	return x.copiesFrom(cfg, c, x.arts[id], &x.prints[id], id, true, func() {
		x.sorted.Earlier(id, c.addBand)
		c.keepClosest(cfg.MaxCandidates)
		x.sortedAnchors.Earlier(id, c.add)
	})
}

// copiesHit is copiesOf with the band and anchor candidates of a shared
// index: hits names them by arrival number, article id's being id+1.
func (x *copyIndex) copiesHit(cfg Config, c *candidateSet, a *newsdedup.Article, pr *fingerprint.Print, hits newsdedup.IndexHits, before int32) []newsdedup.Relation {
	return x.copiesFrom(cfg, c, a, pr, before, false, func() {
		for seq, n := range hits.Bands {
			if seq >= 1 && seq <= uint64(before) {
				for range n {
					c.addBand(int32(seq - 1))
				}
			}
		}
		c.keepClosest(cfg.MaxCandidates)
		for seq := range hits.Anchors {
			if seq >= 1 && seq <= uint64(before) {
				c.add(int32(seq - 1))
			}
		}
	})
}

// copiesFrom is copiesOf with gather adding the band and anchor candidates
// to c. distinct says no article before has a's ID: the candidates'
// articles need not be read to tell (most candidates fail on their shingle
// sets alone, and reading an article is a cache miss).
func (x *copyIndex) copiesFrom(cfg Config, c *candidateSet, a *newsdedup.Article, pr *fingerprint.Print, before int32, distinct bool, gather func()) []newsdedup.Relation {
	c.err = nil
	if cfg.Thresholds.NearEmpty(pr.Tokens) {
		j, ok := x.empty[emptyKey(pr)]
		if !ok || j >= before || x.arts[j].ID == a.ID {
			return nil
		}
		aj, pj, err := x.get(j)
		if err != nil {
			c.err = err
			return nil
		}
		if r, ok := verify(cfg, aj, a, pj, pr); ok {
			return []newsdedup.Relation{r}
		}
		return nil
	}
	c.reset(before)
	gather()
	if a.URL != "" {
		for _, id := range x.byURL[a.URL] {
			c.add(id)
		}
	}
	slices.Sort(c.ids)
	if len(c.ids) > 0 {
		c.filter.Reset(pr.Shingles)
	}
	var rels []newsdedup.Relation
	for _, j := range c.ids {
		if !distinct && x.arts[j].ID == a.ID || cfg.Thresholds.NearEmpty(x.prints[j].Tokens) {
			continue
		}
		// Most candidates of a templated text share a handful of
		// shingles: a bound on them settles the pair unmerged, and a cold
		// candidate unread (its metadata is in memory). A candidate that
		// shares several bands shares far more shingles than the bound
		// can settle: it is not bounded (which changes no decision).
		if c.hits[j] < manyBands {
			shared, size := x.sharedAtMost(&c.filter, j)
			if cfg.Thresholds.Unrelated(x.arts[j], a, x.prints[j].Exact, pr.Exact, shared, size, len(pr.Shingles)) {
				continue
			}
		}
		aj, pj, err := x.get(j)
		if err != nil {
			c.err = err
			return nil
		}
		if r, ok := verifyText(cfg, aj, a, pj, pr, &c.text); ok {
			rels = append(rels, r)
		}
	}
	return rels
}

// A candidateSet gathers the candidates of one article, each once: scratch
// space reused from article to article by one goroutine at a time.
type candidateSet struct {
	mark   []uint32 // mark[id] == gen: id is a candidate already
	hits   []uint8  // hits[id]: the bands id shares, once marked by addBand
	gen    uint32
	before int32
	ids    []int32
	atBar  []int32 // scratch space of keepClosest
	err    error   // of reading a cold candidate; copiesOf then returns nil
	// text is the article's paragraphs, aligned with those of any
	// candidate whose decision needs them: made for the first.
	text *align.Text
	// filter summarizes the article's shingle set, to settle the
	// candidates that share too few of its shingles unmerged.
	filter align.Filter
}

// reset empties c for an article whose candidates are the ids below before.
func (c *candidateSet) reset(before int32) {
	if c.gen++; c.gen == 0 {
		clear(c.mark)
		c.gen = 1
	}
	if n := int(before); len(c.mark) < n {
		c.mark = append(c.mark, make([]uint32, n-len(c.mark))...)
	}
	if len(c.hits) < len(c.mark) {
		c.hits = append(c.hits, make([]uint8, len(c.mark)-len(c.hits))...)
	}
	c.before, c.ids, c.text = before, c.ids[:0], nil
}

// addBand makes id a candidate, as add does, and counts the bands it
// shares: called once per shared band.
func (c *candidateSet) addBand(id int32) {
	if id >= c.before {
		return
	}
	if c.mark[id] != c.gen {
		c.mark[id] = c.gen
		c.hits[id] = 0
		c.ids = append(c.ids, id)
	}
	if c.hits[id] < 255 {
		c.hits[id]++
	}
}

// keepClosest keeps the n candidates that share the most bands (the
// closest: a pair at Jaccard s shares s^rows of the bands on average), the
// later first among equals, and forgets the others; n <= 0 keeps all.
// The candidates are counted by bands shared; only those at the bar (the
// fewest bands kept) are sorted, by id. c.ids is left in no given order.
func (c *candidateSet) keepClosest(n int) {
	if n <= 0 || len(c.ids) <= n {
		return
	}
	var count [256]int
	for _, id := range c.ids {
		count[c.hits[id]]++
	}
	bar, above := 255, 0 // keep every candidate above bar, and some at it
	for ; above+count[bar] < n; bar-- {
		above += count[bar]
	}
	kept, atBar := c.ids[:0], c.atBar[:0]
	for _, id := range c.ids {
		switch h := int(c.hits[id]); {
		case h > bar:
			kept = append(kept, id)
		case h == bar:
			atBar = append(atBar, id)
		default:
			c.mark[id] = 0 // gen is never 0: another index may find it again
		}
	}
	slices.Sort(atBar)
	cut := len(atBar) - (n - above) // the later first among equals
	for _, id := range atBar[:cut] {
		c.mark[id] = 0
	}
	c.ids, c.atBar = append(kept, atBar[cut:]...), atBar
}

// add makes id a candidate, if it is below before and not one already.
func (c *candidateSet) add(id int32) {
	if id < c.before && c.mark[id] != c.gen {
		c.mark[id] = c.gen
		c.hits[id] = 0
		c.ids = append(c.ids, id)
	}
}

// manyBands is a number of bands shared that a candidate the bound of
// copiesFrom would settle all but never reaches: with
// newsdedup.DefaultParams (64 bands of 2 rows) a pair at Jaccard s shares
// 64·s² bands on average, so four bands mean s near 0.25, some thirty
// shingles of a hundred-shingle text, while a pair sharing 8 of 100
// shingles (s = 0.04, relate.Thresholds.MinShared) reaches four bands
// with a probability of about 4e-6. Not bounding a pair changes no
// decision (Unrelated holds only where Decide finds no relation): it
// costs an exact comparison where the bound would have done.
const manyBands = 4

// verify checks a candidate pair on its shingle sets and returns the copy
// relation between a (earlier in the input) and b, if any.
func verify(cfg Config, a, b *newsdedup.Article, pa, pb *fingerprint.Print) (newsdedup.Relation, bool) {
	return verifyText(cfg, a, b, pa, pb, nil)
}

// verifyText is verify with, if tb is not nil, b's paragraphs in *tb: made
// there when a decision first needs them, and used as they are after, so
// that an article is aligned with several candidates at the cost of one.
func verifyText(cfg Config, a, b *newsdedup.Article, pa, pb *fingerprint.Print, tb **align.Text) (newsdedup.Relation, bool) {
	textB := func() *align.Text {
		if tb == nil {
			return align.NewText(cfg.Params, b.Body)
		}
		if *tb == nil {
			*tb = align.NewText(cfg.Params, b.Body)
		}
		return *tb
	}
	s := align.Compare(pa.Shingles, pb.Shingles)
	p := relate.Pair{A: a, B: b, ExactA: pa.Exact, ExactB: pb.Exact, Scores: s}
	if relate.SameLineage(a, b) {
		p.WordJaccard = WordJaccard(a, b)
	}
	kind := cfg.Thresholds.Decide(&p)
	if p.NeedEvidence {
		al := align.AlignTexts(align.NewText(cfg.Params, a.Body), textB())
		p.Evidence = al.Evidence(s.Shared)
		fa, fb := al.FoundShare(cfg.Thresholds.RewriteCover)
		p.Found, p.FoundLess = max(fa, fb), min(fa, fb)
		kind = cfg.Thresholds.Decide(&p)
	}
	if kind == "" {
		return newsdedup.Relation{}, false
	}
	if p.Evidence == nil && cfg.Evidence {
		p.Evidence = align.AlignTexts(align.NewText(cfg.Params, a.Body), textB()).Evidence(s.Shared)
	}
	return newsdedup.Relation{
		A: a.ID, B: b.ID, Kind: kind,
		Jaccard: s.Jaccard, Containment: s.Containment,
		Score: relate.Score(s), Evidence: p.Evidence,
	}, true
}

// WordJaccard returns the Jaccard similarity of the content-word sets of
// the bodies of a and b.
func WordJaccard(a, b *newsdedup.Article) float64 {
	wa, wb := contentWords(a), contentWords(b)
	n := 0
	for w := range wa {
		if wb[w] {
			n++
		}
	}
	if u := len(wa) + len(wb) - n; u > 0 {
		return float64(n) / float64(u)
	}
	return 0
}

func contentWords(a *newsdedup.Article) map[string]bool {
	m := make(map[string]bool)
	for _, p := range a.Body {
		for _, t := range textnorm.Tokens(p) {
			if !textnorm.IsStopword(t) {
				m[t] = true
			}
		}
	}
	return m
}

// Evidence aligns the paragraphs of a and b.
func Evidence(p newsdedup.Params, a, b *newsdedup.Article, shared int) *newsdedup.Evidence {
	return align.AlignTexts(align.NewText(p, a.Body), align.NewText(p, b.Body)).Evidence(shared)
}
