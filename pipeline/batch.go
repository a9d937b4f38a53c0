package pipeline

import (
	"sync"

	"github.com/newsdedup/newsdedup"
	"github.com/newsdedup/newsdedup/cluster"
	"github.com/newsdedup/newsdedup/fingerprint"
	"github.com/newsdedup/newsdedup/lsh"
)

// Result is the outcome of a run.
type Result struct {
	Articles  []*newsdedup.Article
	Prints    []fingerprint.Print // by article index; without signatures (Index holds their band keys), and after Run without shingle sets or anchors
	Relations []newsdedup.Relation
	Families  []newsdedup.Family
	Stories   []newsdedup.Story
	// Index is the band index over the articles' signatures, by article
	// index: where more articles can be placed (Copies keeps it; Run lets
	// it go once the copies are found).
	Index *lsh.Sorted

	boiler map[newsdedup.ArticleID]bool
}

// Run relates arts and groups them into families and stories. Articles
// with an ID seen before in arts are dropped, so that reading one input
// twice changes nothing.
//
// Run is not an Engine fed in bulk, though both find copies alike
// (copiesOf), because the results would change. An Engine places stories
// in arrival order where Run places them in order of publication, and it
// lacks what only a whole batch shows: its sources' templates
// (TemplateFreeBodies), its boilerplate bodies (Boilerplate), the anchors
// too common in the batch, and families merged over all relations at once,
// strongest first. Measured when copy detection got its one home, an
// engine fed the eval sets in Adds of 256 scored story F1 0.866, 0.789 and
// 0.723 on ECB+ test, ECB+ dev and GVC where Run scores 0.910, 0.847 and
// 0.805 (fed in order of publication: 0.910, 0.847 and 0.731). Speed did
// not decide: fed the Reuters-21578 texts (BenchmarkRunVsEngine), the
// engine took 1.5 CPU seconds to Run's 1.7 for 5,000 and 7.6 to 7.3 for
// 19,000, most of it placing stories, one article after the other in both.
//
// Stories are placed one article after the other, on one core; the
// relations' evidence is computed meanwhile on the others.
func Run(cfg Config, arts []*newsdedup.Article) *Result {
	res := copies(cfg, arts)
	var same []newsdedup.Relation
	var wg sync.WaitGroup
	wg.Go(func() { res.Stories, same = stories(cfg, res.Articles, res.Families, nil, res.boiler) })
	res.Index = nil // more articles are not placed: the band index goes (150 MB at 190,000 articles)
	if cfg.Evidence {
		// Story placement is serial: the evidence, like the story
		// features, is computed on the other cores.
		res.evidence(besides(cfg))
	}
	// The stories need no shingle set or anchor: freed while the stories
	// are placed (the shingle sets of the peer corpus's 190,000 articles
	// held 188 MB of a heap of 805 MB at the end of a run).
	for i := range res.Prints {
		res.Prints[i].Shingles, res.Prints[i].Anchors = nil, nil
	}
	wg.Wait()
	res.Relations = append(res.Relations, same...)
	return res
}

// Copies is Run without stories: fingerprints, candidates, relations and
// copy families.
func Copies(cfg Config, arts []*newsdedup.Article) *Result {
	res := copies(cfg, arts)
	if cfg.Evidence {
		res.evidence(cfg)
	}
	return res
}

// evidence gives the relations their paragraph alignment.
func (res *Result) evidence(cfg Config) {
	pos := make(map[newsdedup.ArticleID]int, len(res.Articles))
	for i, a := range res.Articles {
		pos[a.ID] = i
	}
	withEvidence(cfg, res.Articles, res.Prints, pos, res.Relations)
}

// copies is Copies without the relations' evidence, save what the
// decision needed.
func copies(cfg Config, arts []*newsdedup.Article) *Result {
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
	// input order; then workers find the copies of every article among those
	// before it (copiesOf, as the Engine does). Relations are gathered back
	// in input order, so the result does not depend on the workers. Of each
	// signature only its band keys are kept.
	x := newCopyIndex(cfg)
	var keys []uint32
	res.Prints, keys = fingerprintKeys(cfg, x.bands, TemplateFreeBodies(cfg, arts))
	x.addAll(cfg, arts, res.Prints, keys)
	rels := make([][]newsdedup.Relation, len(arts))
	vcfg := cfg
	vcfg.Evidence = false // given to the relations reported, once chosen (provenance)
	sets := sync.Pool{New: func() any { return &candidateSet{mark: make([]uint32, len(arts))} }}
	parallel(cfg, len(arts), func(i int) {
		c := sets.Get().(*candidateSet)
		rels[i] = x.copiesOfIndexed(vcfg, c, int32(i))
		sets.Put(c)
	})
	n := 0
	for _, rs := range rels {
		n += len(rs)
	}
	res.Relations = make([]newsdedup.Relation, 0, n)
	for i, rs := range rels {
		res.Relations = append(res.Relations, rs...)
		rels[i] = nil
	}
	res.Index = x.sorted

	boiler := Boilerplate(cfg, arts, res.Prints)
	famRels := res.Relations // without those between boilerplate pages, if any
	if len(boiler) > 0 {
		famRels = make([]newsdedup.Relation, 0, len(res.Relations))
		for _, r := range res.Relations {
			if !boiler[r.A] || !boiler[r.B] {
				famRels = append(famRels, r)
			}
		}
	}
	words := func(i int) int { return res.Prints[i].Tokens }
	res.Families = cluster.Families(cfg.Family, arts, famRels, words)
	res.Relations = provenance(cfg, arts, res.Prints, res.Families, res.Relations)
	res.boiler = boiler
	return res
}
