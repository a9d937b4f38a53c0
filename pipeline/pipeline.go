// Package pipeline joins the stages of newsdedup: it fingerprints articles,
// finds candidate copies, verifies and relates them, groups them into copy
// families and stories, and picks each family's original.
package pipeline

import (
	"cmp"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/newsdedup/newsdedup"
	"github.com/newsdedup/newsdedup/align"
	"github.com/newsdedup/newsdedup/cluster"
	"github.com/newsdedup/newsdedup/fingerprint"
	"github.com/newsdedup/newsdedup/lsh"
	"github.com/newsdedup/newsdedup/relate"
	"github.com/newsdedup/newsdedup/textnorm"

	"github.com/zeebo/xxh3"
)

// Config configures a run. Start from DefaultConfig.
type Config struct {
	Params     newsdedup.Params
	Thresholds relate.Thresholds
	Family     cluster.FamilyConfig
	Story      cluster.StoryConfig
	// AnchorWindow is the winnowing window for partial-reuse candidates:
	// any shared run of AnchorWindow+Shingle-1 words is found. 0 disables.
	AnchorWindow int
	// MaxAnchorPosting: an anchor in more articles than this is boilerplate.
	MaxAnchorPosting int
	// Workers fingerprint articles in parallel; 0 means GOMAXPROCS.
	Workers int
	// Evidence aligns the paragraphs of every related pair for the
	// relation's evidence. Without it, pairs are aligned only when the
	// decision needs it (evaluation and benchmarks need no evidence).
	Evidence bool
	// TemplateMin: a short paragraph (TemplateWords words at most) found in
	// this many articles of one source is the source's template (its
	// chrome) and is left out of the fingerprints; 0 disables. Versions of
	// one article at one source share their long paragraphs, and rarely
	// come five at a time.
	TemplateMin int
}

// DefaultConfig returns the configuration newsdedup uses.
func DefaultConfig() Config {
	return Config{
		Params:           newsdedup.DefaultParams,
		Thresholds:       relate.Default,
		Family:           cluster.DefaultFamilyConfig,
		Story:            cluster.DefaultStoryConfig,
		AnchorWindow:     8,
		MaxAnchorPosting: 64,
		TemplateMin:      5,
		Evidence:         true,
	}
}

// Result is the outcome of a run.
type Result struct {
	Articles  []*newsdedup.Article
	Prints    []fingerprint.Print // by article index; without signatures (Index holds their band keys)
	Relations []newsdedup.Relation
	Families  []newsdedup.Family
	Stories   []newsdedup.Story
	// Index is the band index over the articles' signatures, by article
	// index: where more articles can be placed.
	Index *lsh.Index

	boiler map[newsdedup.ArticleID]bool
}

// Run relates arts and groups them into families and stories. Articles
// with an ID seen before in arts are dropped, so that reading one input
// twice changes nothing.
func Run(cfg Config, arts []*newsdedup.Article) *Result {
	res := Copies(cfg, arts)
	res.Stories, res.Relations = stories(cfg, res.Articles, res.Families, res.Relations, res.boiler)
	return res
}

// Copies is Run without stories: fingerprints, candidates, relations and
// copy families.
func Copies(cfg Config, arts []*newsdedup.Article) *Result {
	seen := make(map[newsdedup.ArticleID]bool, len(arts))
	var uniq []*newsdedup.Article
	for _, a := range arts {
		if !seen[a.ID] {
			seen[a.ID] = true
			uniq = append(uniq, a)
		}
	}
	arts = uniq
	res := &Result{Articles: arts}

	// Each article is compared with the articles before it in the input, as
	// it would be when arriving in a stream. The indexes are built first, in
	// input order; then workers query them for every article, keep the
	// candidates that came before it, and verify. Relations are gathered
	// back in input order, so the result does not depend on the workers.
	// Of each signature only its band keys are kept.
	index := lsh.New(cfg.Params)
	var keys []uint32
	res.Prints, keys = fingerprintKeys(cfg, index, TemplateFreeBodies(cfg, arts))
	anchors := lsh.NewAnchors(cfg.MaxAnchorPosting)
	byURL := make(map[string][]int32) // captures of one URL are always candidates
	anchorSets := make([][]uint64, len(arts))
	for i := range arts {
		anchorSets[i] = res.Prints[i].Anchors
	}
	var wg sync.WaitGroup
	wg.Go(func() { index.AddMany(0, keys, workers(cfg)) })
	wg.Go(func() { anchors.AddMany(0, anchorSets, workers(cfg)) })
	wg.Wait()
	for i, a := range arts {
		if a.URL != "" {
			byURL[a.URL] = append(byURL[a.URL], int32(i))
		}
	}
	rels := make([][]newsdedup.Relation, len(arts))
	nb := cfg.Params.Bands
	stamps := sync.Pool{New: func() any { return make([]int32, len(arts)) }}
	parallel(cfg, len(arts), func(i int) {
		pr := &res.Prints[i]
		stamp := stamps.Get().([]int32) // stamp[j] == i+1: j is a candidate of i already
		var cands []int32
		mark := func(id int32) {
			if int(id) < i && stamp[id] != int32(i+1) {
				stamp[id] = int32(i + 1)
				cands = append(cands, id)
			}
		}
		if k := keys[i*nb : (i+1)*nb]; k[0] != 0 {
			index.QueryKeys(k, mark)
		}
		anchors.Query(pr.Anchors, mark)
		if u := arts[i].URL; u != "" {
			for _, id := range byURL[u] {
				mark(id)
			}
		}
		stamps.Put(stamp)
		slices.Sort(cands)
		for _, j := range cands {
			if r, ok := verify(cfg, arts[j], arts[i], &res.Prints[j], pr); ok {
				rels[i] = append(rels[i], r)
			}
		}
	})
	for _, rs := range rels {
		res.Relations = append(res.Relations, rs...)
	}
	res.Index = index

	boiler := Boilerplate(cfg, arts, res.Prints)
	famRels := make([]newsdedup.Relation, 0, len(res.Relations))
	for _, r := range res.Relations {
		if !boiler[r.A] || !boiler[r.B] {
			famRels = append(famRels, r)
		}
	}
	words := func(i int) int { return res.Prints[i].Tokens }
	res.Families = cluster.Families(cfg.Family, arts, famRels, words)
	res.boiler = boiler
	return res
}

// TemplateWords is the longest paragraph SourceTemplates counts.
const TemplateWords = 40

// Templates holds, per source, the keys (ParagraphKey) of the short
// paragraphs that recur in many of its articles: the site's chrome (its
// menu, its share line, its newsletter prompt, its copyright), which would
// otherwise make every two pages of the site look alike.
type Templates map[string]map[uint64]bool

// ParagraphKey returns the hash of p folded (xxh3 of textnorm.Fold(p)), or
// 0 when p is empty or has more than TemplateWords words: a template
// candidate's key. t is scratch space.
func ParagraphKey(t *textnorm.Tokenizer, p string) uint64 {
	if strings.Count(p, " ") >= 2*TemplateWords { // surely too long: spare the tokenizing
		return 0
	}
	var h xxh3.Hasher
	n := 0
	t.Each(p, func(tok []byte) {
		if n++; n > 1 {
			h.Write(space)
		}
		h.Write(tok)
	})
	if n == 0 || n > TemplateWords {
		return 0
	}
	return h.Sum64() | 1
}

var space = []byte{' '}

// ParagraphKeys returns the ParagraphKey of every paragraph of every
// article with a source, computed by cfg.Workers goroutines.
func ParagraphKeys(cfg Config, arts []*newsdedup.Article) [][]uint64 {
	keys := make([][]uint64, len(arts))
	toks := sync.Pool{New: func() any { return new(textnorm.Tokenizer) }}
	parallel(cfg, len(arts), func(i int) {
		if arts[i].Source == "" {
			return
		}
		t := toks.Get().(*textnorm.Tokenizer)
		k := make([]uint64, len(arts[i].Body))
		for j, p := range arts[i].Body {
			k[j] = ParagraphKey(t, p)
		}
		keys[i] = k
		toks.Put(t)
	})
	return keys
}

// SourceTemplates returns the short paragraphs that recur in at least min
// articles of one source, given the articles' ParagraphKeys.
func SourceTemplates(arts []*newsdedup.Article, keys [][]uint64, min int) Templates {
	if min <= 0 {
		return nil
	}
	counts := make(map[string]map[uint64]int)
	seen := make(map[uint64]bool)
	for i, a := range arts {
		if a.Source == "" {
			continue
		}
		c := counts[a.Source]
		if c == nil {
			c = make(map[uint64]int)
			counts[a.Source] = c
		}
		clear(seen)
		for _, k := range keys[i] {
			if k != 0 && !seen[k] {
				seen[k] = true
				c[k]++
			}
		}
	}
	out := make(Templates)
	for src, c := range counts {
		for k, n := range c {
			if n >= min {
				if out[src] == nil {
					out[src] = make(map[uint64]bool)
				}
				out[src][k] = true
			}
		}
	}
	return out
}

// WithoutTemplates returns a's paragraphs less its source's template ones
// (all of them if that would leave nothing); keys are a's ParagraphKeys.
func WithoutTemplates(a *newsdedup.Article, keys []uint64, t Templates) []string {
	tt := t[a.Source]
	if len(tt) == 0 {
		return a.Body
	}
	kept := make([]string, 0, len(a.Body))
	for j, p := range a.Body {
		if !tt[keys[j]] {
			kept = append(kept, p)
		}
	}
	if len(kept) == 0 {
		return a.Body
	}
	return kept
}

// TemplateFreeBodies returns the bodies of arts less their sources'
// templates (TemplateMin), as they are fingerprinted.
func TemplateFreeBodies(cfg Config, arts []*newsdedup.Article) [][]string {
	bodies := make([][]string, len(arts))
	if cfg.TemplateMin <= 0 {
		for i, a := range arts {
			bodies[i] = a.Body
		}
		return bodies
	}
	keys := ParagraphKeys(cfg, arts)
	t := SourceTemplates(arts, keys, cfg.TemplateMin)
	for i, a := range arts {
		bodies[i] = WithoutTemplates(a, keys[i], t)
	}
	return bodies
}

// Boilerplate returns the articles whose body is a site's template rather
// than news: the same body (exact hash) under three or more different
// titles, or published further apart than the story window. Error pages,
// captcha notices and paywall stubs served for many URLs look like this;
// real copies of one article share its title or come out within days.
func Boilerplate(cfg Config, arts []*newsdedup.Article, prints []fingerprint.Print) map[newsdedup.ArticleID]bool {
	groups := make(map[uint64][]int)
	for i := range arts {
		if prints[i].Tokens > 0 {
			groups[prints[i].Exact] = append(groups[prints[i].Exact], i)
		}
	}
	out := make(map[newsdedup.ArticleID]bool)
	for _, g := range groups {
		if len(g) < 2 {
			continue
		}
		titles := make(map[string]bool)
		var first, last time.Time
		for _, i := range g {
			titles[textnorm.Fold(arts[i].Title)] = true
			if t := arts[i].Published; !t.IsZero() {
				if first.IsZero() || t.Before(first) {
					first = t
				}
				if t.After(last) {
					last = t
				}
			}
		}
		if len(titles) >= 3 || !first.IsZero() && last.Sub(first) > cfg.Story.Window {
			for _, i := range g {
				out[arts[i].ID] = true
			}
		}
	}
	return out
}

// Fingerprints computes the fingerprints of arts on cfg.Workers goroutines.
func Fingerprints(cfg Config, arts []*newsdedup.Article) []fingerprint.Print {
	bodies := make([][]string, len(arts))
	for i, a := range arts {
		bodies[i] = a.Body
	}
	return FingerprintBodies(cfg, bodies)
}

// FingerprintBodies computes the fingerprints of bodies on cfg.Workers
// goroutines.
func FingerprintBodies(cfg Config, bodies [][]string) []fingerprint.Print {
	prints := make([]fingerprint.Print, len(bodies))
	makers := sync.Pool{New: func() any {
		m := fingerprint.NewMaker(cfg.Params)
		m.AnchorWindow = cfg.AnchorWindow
		return m
	}}
	parallel(cfg, len(bodies), func(i int) {
		m := makers.Get().(*fingerprint.Maker)
		prints[i] = m.Make(bodies[i])
		makers.Put(m)
	})
	return prints
}

// fingerprintKeys fingerprints bodies like FingerprintBodies, without
// keeping the signatures: it returns, one article after the other, each
// signature's band keys in index (all 0 for an empty text).
func fingerprintKeys(cfg Config, index *lsh.Index, bodies [][]string) ([]fingerprint.Print, []uint32) {
	prints := make([]fingerprint.Print, len(bodies))
	nb := cfg.Params.Bands
	keys := make([]uint32, len(bodies)*nb)
	type scratch struct {
		m   *fingerprint.Maker
		sig []uint64
	}
	pool := sync.Pool{New: func() any {
		m := fingerprint.NewMaker(cfg.Params)
		m.AnchorWindow, m.SkipSig = cfg.AnchorWindow, true
		return &scratch{m: m}
	}}
	parallel(cfg, len(bodies), func(i int) {
		sc := pool.Get().(*scratch)
		pr := sc.m.Make(bodies[i])
		if len(pr.Shingles) > 0 {
			sc.sig = fingerprint.SignatureInto(cfg.Params, pr.Shingles, sc.sig)
			index.Keys(sc.sig, keys[i*nb:i*nb])
		}
		prints[i] = pr
		pool.Put(sc)
	})
	return prints, keys
}

// parallel calls fn(i) for i in [0, n) on cfg's workers, in chunks.
func parallel(cfg Config, n int, fn func(i int)) {
	const chunk = 64
	var next atomic.Int64
	var wg sync.WaitGroup
	for range workers(cfg) {
		wg.Go(func() {
			for {
				lo := int(next.Add(chunk)) - chunk
				if lo >= n {
					return
				}
				for i := lo; i < min(lo+chunk, n); i++ {
					fn(i)
				}
			}
		})
	}
	wg.Wait()
}

// workers returns the number of goroutines for parallel stages.
func workers(cfg Config) int {
	if cfg.Workers > 0 {
		return cfg.Workers
	}
	return runtime.GOMAXPROCS(0)
}

// verify checks a candidate pair on its shingle sets and returns the copy
// relation between a (earlier in the input) and b, if any.
func verify(cfg Config, a, b *newsdedup.Article, pa, pb *fingerprint.Print) (newsdedup.Relation, bool) {
	s := align.Compare(pa.Shingles, pb.Shingles)
	p := relate.Pair{A: a, B: b, ExactA: pa.Exact, ExactB: pb.Exact, Scores: s}
	if relate.SameLineage(a, b) {
		p.WordJaccard = WordJaccard(a, b)
	}
	kind := cfg.Thresholds.Decide(&p)
	if p.NeedEvidence {
		p.Evidence = Evidence(cfg.Params, a, b, s.Shared)
		kind = cfg.Thresholds.Decide(&p)
	}
	if kind == "" {
		return newsdedup.Relation{}, false
	}
	if p.Evidence == nil && cfg.Evidence {
		p.Evidence = Evidence(cfg.Params, a, b, s.Shared)
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
	return align.Align(align.Paragraphs(p, a.Body), align.Paragraphs(p, b.Body)).Evidence(shared)
}

// stories clusters the articles into stories in order of publication
// (undated articles last, in input order); a copy joins the story of its
// family. It returns the stories and the relations with a same_story
// relation added for each article that joined a story by similarity.
func stories(cfg Config, arts []*newsdedup.Article, fams []newsdedup.Family, rels []newsdedup.Relation, boiler map[newsdedup.ArticleID]bool) ([]newsdedup.Story, []newsdedup.Relation) {
	pos := make(map[newsdedup.ArticleID]int, len(arts))
	for i, a := range arts {
		pos[a.ID] = i
	}
	famOf := make([]int, len(arts))
	for f, fam := range fams {
		for _, id := range fam.Members {
			famOf[pos[id]] = f
		}
	}
	order := make([]int, len(arts))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(i, j int) int {
		a, b := arts[i], arts[j]
		if az, bz := a.Published.IsZero(), b.Published.IsZero(); az != bz {
			if az {
				return 1
			}
			return -1
		}
		return a.Published.Compare(b.Published)
	})
	sc := cluster.NewStories(cfg.Story)
	famStory := make(map[int]int)
	famItems := make(map[int][]int) // family -> its articles' order of addition
	storyOf := make([]int, len(arts))
	score := make([]float64, len(arts)) // similarity to its story, 0 for founders and copies
	feats := make([]cluster.Features, len(arts))
	for i, a := range arts {
		body := a.Body
		if boiler[a.ID] {
			body = nil // only the title says what the page was about
		}
		feats[i] = cluster.Featurize(cfg.Story.Features, a.Title, body)
	}
	for item, i := range order {
		// A copy joins its family's story, but a near-empty text (an
		// error page served to many URLs is an exact copy of itself) is
		// placed on its own so that it glues nothing together.
		f := feats[i]
		substantive := f.Content >= cfg.Story.MinContent
		join := -1
		if s, ok := famStory[famOf[i]]; ok && substantive {
			join = s
		}
		if join >= 0 {
			// A family a copy has joined stays together.
			for _, it := range famItems[famOf[i]] {
				sc.Pin(it)
			}
		}
		pl := sc.Add(f, arts[i].Published, join)
		famItems[famOf[i]] = append(famItems[famOf[i]], item)
		storyOf[i] = pl.Story
		if join < 0 && !pl.New {
			score[i] = pl.Score
		}
		if substantive {
			famStory[famOf[i]] = pl.Story
		}
		for _, mv := range pl.Moves {
			j := order[mv.Item]
			storyOf[j], score[j] = mv.To, mv.Score
			if famStory[famOf[j]] == mv.From {
				famStory[famOf[j]] = mv.To
			}
		}
	}
	// Each story is named for its first member, which every other member
	// that joined by similarity (not as a copy) is related to; a first
	// member that revision moved there relates to the next.
	at := make(map[int]int) // story -> its place in out
	var out []newsdedup.Story
	for _, i := range order {
		s := storyOf[i]
		k, ok := at[s]
		if !ok {
			at[s] = len(out)
			out = append(out, newsdedup.Story{ID: "s-" + string(arts[i].ID)})
			k = len(out) - 1
		}
		out[k].Add(arts[i])
		m := out[k].Members
		switch first := pos[m[0]]; {
		case len(m) == 1:
		case score[i] > 0:
			rels = append(rels, newsdedup.Relation{A: m[0], B: arts[i].ID, Kind: newsdedup.KindSameStory, Score: score[i]})
		case len(m) == 2 && score[first] > 0:
			rels = append(rels, newsdedup.Relation{A: m[0], B: arts[i].ID, Kind: newsdedup.KindSameStory, Score: score[first]})
		}
	}
	// Stories in order of their first member's position in the input.
	slices.SortStableFunc(out, func(x, y newsdedup.Story) int {
		return cmp.Compare(minPos(pos, x.Members), minPos(pos, y.Members))
	})
	return out, rels
}

func minPos(pos map[newsdedup.ArticleID]int, ids []newsdedup.ArticleID) int {
	m := len(pos)
	for _, id := range ids {
		m = min(m, pos[id])
	}
	return m
}
