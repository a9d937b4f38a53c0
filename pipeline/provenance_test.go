package pipeline_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/newsdedup/newsdedup"
	"github.com/newsdedup/newsdedup/pipeline"
)

// family returns n copies of one report, each with a few words changed
// (its own), and an unrelated article: the copies are one family.
func familyOf(n int) []*newsdedup.Article {
	rng := rand.New(rand.NewPCG(7, 7))
	var words []string
	for i := range 160 {
		words = append(words, fmt.Sprintf("w%d", rng.IntN(400)+i*1000))
	}
	var arts []*newsdedup.Article
	for k := range n {
		w := slices.Clone(words)
		for range 3 {
			w[rng.IntN(len(w))] = fmt.Sprintf("edit%d", k)
		}
		arts = append(arts, &newsdedup.Article{ID: newsdedup.ArticleID(fmt.Sprintf("c%02d", k)), Source: fmt.Sprintf("outlet%d", k),
			Body: []string{strings.Join(w[:80], " ") + ".", strings.Join(w[80:], " ") + "."}})
	}
	return append(arts, &newsdedup.Article{ID: "other", Body: []string{strings.Join(pseudo("zz", 120), " ") + "."}})
}

// A family of m copies reports each copy's relation to the original and to
// its closest member, at most 2(m-1) relations, not m(m-1)/2; the family
// is the one all pairs make.
func TestRunRelationsGrowWithArticles(t *testing.T) {
	const m = 12
	arts := familyOf(m)
	res := pipeline.Run(pipeline.DefaultConfig(), arts)
	if len(res.Families) != 2 || len(res.Families[0].Members) != m {
		t.Fatalf("families=%+v, want one of %d copies and the other article", res.Families, m)
	}
	orig := res.Families[0].Original
	toOrig := make(map[newsdedup.ArticleID]bool)
	copies := 0
	for _, r := range res.Relations {
		if r.Kind == newsdedup.KindSameStory {
			continue
		}
		copies++
		if r.Evidence == nil {
			t.Errorf("relation %s-%s has no evidence", r.A, r.B)
		}
		if r.A == orig {
			toOrig[r.B] = true
		}
		if r.B == orig {
			toOrig[r.A] = true
		}
	}
	if copies > 2*(m-1) || copies < m-1 {
		t.Fatalf("%d copy relations, want between %d and %d", copies, m-1, 2*(m-1))
	}
	for _, id := range res.Families[0].Members[1:] {
		if !toOrig[id] {
			t.Errorf("copy %s not related to the original %s", id, orig)
		}
	}
	// All pairs are copies: Compare finds any of them on demand.
	all := pipeline.Copies(pipeline.DefaultConfig(), arts)
	if !slices.EqualFunc(all.Families, res.Families, func(a, b newsdedup.Family) bool { return slices.Equal(a.Members, b.Members) }) {
		t.Errorf("Copies families %+v differ from Run's %+v", all.Families, res.Families)
	}
}

// Identical sign-offs make one family with one exact relation per member
// (to the first), and relate to nothing longer.
func TestNearEmptyTextsRelateOnce(t *testing.T) {
	arts := familyOf(3)
	arts[0].Body = append(arts[0].Body, "Reuter")
	for k := range 6 {
		arts = append(arts, &newsdedup.Article{ID: newsdedup.ArticleID(fmt.Sprintf("r%d", k)), Source: fmt.Sprintf("s%d", k), Body: []string{"Reuter"}})
	}
	arts = append(arts, &newsdedup.Article{ID: "r-other", Body: []string{"Reuter", "Reuter"}})
	res := pipeline.Run(pipeline.DefaultConfig(), arts)
	var signOff []newsdedup.Relation
	for _, r := range res.Relations {
		if strings.HasPrefix(string(r.A), "r") || strings.HasPrefix(string(r.B), "r") {
			signOff = append(signOff, r)
		}
	}
	if len(signOff) != 5 {
		t.Fatalf("sign-off relations=%+v, want 5", signOff)
	}
	for _, r := range signOff {
		if r.A != "r0" || r.Kind != newsdedup.KindExact {
			t.Errorf("relation %+v, want exact from r0", r)
		}
	}
	for _, f := range res.Families {
		if f.Original == "r0" && len(f.Members) != 6 {
			t.Errorf("sign-off family %+v, want 6 members", f)
		}
		if slices.Contains(f.Members, "r-other") && len(f.Members) != 1 {
			t.Errorf("family %+v: a near-empty text joined another text", f)
		}
	}
	// The stream engine relates them alike.
	e, err := pipeline.Open(context.Background(), pipeline.DefaultConfig(), newMemStore(pipeline.DefaultConfig().Params))
	if err != nil {
		t.Fatal(err)
	}
	pls, err := e.Add(context.Background(), arts)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range pls {
		n := 0
		for _, r := range p.Relations {
			if r.Kind != newsdedup.KindSameStory {
				n++
			}
		}
		switch {
		case p.ID == "r0" || p.ID == "r-other":
			if n != 0 {
				t.Errorf("engine: %s has relations %+v, want none", p.ID, p.Relations)
			}
		case strings.HasPrefix(string(p.ID), "r"):
			if n != 1 || p.Relations[0].A != "r0" {
				t.Errorf("engine: %s has relations %+v, want one to r0", p.ID, p.Relations)
			}
			if len(p.Family.Members) != 6 {
				t.Errorf("engine: %s in family %+v, want 6 members", p.ID, p.Family)
			}
		}
	}
}

// Adding a batch at once finds the copies that adding it one article at a
// time finds.
func TestEngineBatchFindsWhatOneByOneFinds(t *testing.T) {
	arts := append(familyOf(5), familyOf(3)[:3]...) // the last three: IDs seen before, same texts
	arts = append(arts, &newsdedup.Article{ID: "c01", Body: []string{"Another text under a known ID, long enough to say something."}})
	ctx := context.Background()
	cfg := pipeline.DefaultConfig()
	run := func(size int) ([]pipeline.Placement, []newsdedup.Family) {
		e, err := pipeline.Open(ctx, cfg, newMemStore(cfg.Params))
		if err != nil {
			t.Fatal(err)
		}
		var out []pipeline.Placement
		for lo := 0; lo < len(arts); lo += size {
			pls, err := e.Add(ctx, arts[lo:min(lo+size, len(arts))])
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, pls...)
		}
		return out, e.Families()
	}
	one, f1 := run(1)
	all, fN := run(len(arts))
	if !slices.EqualFunc(f1, fN, func(a, b newsdedup.Family) bool { return slices.Equal(a.Members, b.Members) }) || len(f1) != 2 {
		t.Errorf("families one by one %+v, in one batch %+v, want 2", f1, fN)
	}
	for k := range arts {
		a, b := one[k], all[k]
		if a.Existing != b.Existing || (a.Err == nil) != (b.Err == nil) {
			t.Errorf("article %d (%s): one by one %+v, in one batch %+v", k, arts[k].ID, a, b)
		}
		if !slices.EqualFunc(a.Relations, b.Relations, func(x, y newsdedup.Relation) bool { return x.A == y.A && x.B == y.B && x.Kind == y.Kind }) {
			t.Errorf("article %d (%s): relations one by one %+v, in one batch %+v", k, arts[k].ID, a.Relations, b.Relations)
		}
	}
	if all[len(arts)-1].Err == nil || !all[6].Existing {
		t.Errorf("a known ID with another text must be refused and a repeat be Existing: %+v %+v", all[len(arts)-1], all[6])
	}
}

// Near-empty twins are found whatever came first with the same words in
// other paragraphs: "Reuter Reuter" (one paragraph) and "Reuter" twice
// share the exact hash and no shingle, and the first seen must not keep
// the other's twins from each other, in a batch or in the stream engine's
// batches.
func TestNearEmptyTwinsAfterOtherBreaks(t *testing.T) {
	arts := []*newsdedup.Article{{ID: "one", Body: []string{"Reuter Reuter"}}}
	for k := range 3 {
		arts = append(arts, &newsdedup.Article{ID: newsdedup.ArticleID(fmt.Sprintf("two%d", k)), Body: []string{"Reuter", "Reuter"}})
	}
	check := func(who string, rels []newsdedup.Relation, fams []newsdedup.Family) {
		t.Helper()
		var got []string
		for _, r := range rels {
			if r.Kind != newsdedup.KindSameStory {
				got = append(got, fmt.Sprintf("%s-%s %s", r.A, r.B, r.Kind))
			}
		}
		slices.Sort(got)
		if want := []string{"two0-two1 exact", "two0-two2 exact"}; !slices.Equal(got, want) {
			t.Errorf("%s: relations %q, want %q", who, got, want)
		}
		for _, f := range fams {
			if slices.Contains(f.Members, "two1") && !slices.Equal(f.Members, []newsdedup.ArticleID{"two0", "two1", "two2"}) {
				t.Errorf("%s: family %v, want two0, two1, two2", who, f.Members)
			}
		}
	}
	res := pipeline.Run(pipeline.DefaultConfig(), arts)
	check("Run", res.Relations, res.Families)
	e, err := pipeline.Open(context.Background(), pipeline.DefaultConfig(), newMemStore(pipeline.DefaultConfig().Params))
	if err != nil {
		t.Fatal(err)
	}
	var rels []newsdedup.Relation
	var fams []newsdedup.Family
	for _, a := range arts { // one batch each
		pls, err := e.Add(context.Background(), []*newsdedup.Article{a})
		if err != nil {
			t.Fatal(err)
		}
		rels = append(rels, pls[0].Relations...)
		fams = append(fams, pls[0].Family)
	}
	check("engine", rels, fams[len(fams)-1:])
}
