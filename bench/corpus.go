// Package bench measures copy detection at scale on a generated corpus
// with known truth, beside a peer MinHash-LSH library run in the same
// process on the same shingles.
package bench

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"

	"github.com/newsdedup/newsdedup"
	"github.com/newsdedup/newsdedup/align"
	"github.com/newsdedup/newsdedup/fingerprint"
)

// Item is a generated article and the family it truly belongs to.
type Item struct {
	Article *newsdedup.Article
	Family  int
}

// Generate returns n articles built from seed texts: each original is
// republished 0–4 times under other sources with the edits real copies
// show (chrome added, tail trimmed, a paragraph dropped or added, British
// spellings, two paragraphs swapped, a short lead), and the rest are
// unrelated texts. When the seeds run out, new unrelated originals are made
// by replacing every third word of a seed, which leaves no 5-word shingle
// in common. It is deterministic for a seed.
func Generate(seeds []*newsdedup.Article, n int, seed uint64) []Item {
	r := rand.New(rand.NewPCG(seed, 99))
	var usable []*newsdedup.Article
	for _, a := range seeds {
		if len(a.Body) >= 3 && len(strings.Fields(a.Text())) >= 80 {
			usable = append(usable, a)
		}
	}
	usable = distinct(usable)
	if len(usable) == 0 {
		return nil
	}
	vocab := strings.Fields("market share price rate bank oil trade year company government report said week month group plan deal talks")
	var out []Item
	fam := 0
	for round := 0; len(out) < n; round++ {
		for _, s := range usable {
			if len(out) >= n {
				break
			}
			body := slices.Clone(s.Body)
			if round > 0 {
				body = mutate(body, vocab, r)
			}
			orig := &newsdedup.Article{ID: newsdedup.ArticleID(fmt.Sprintf("g%d", len(out))), Title: s.Title, Source: "origin.example", Body: body}
			out = append(out, Item{orig, fam})
			copies := []int{0, 0, 1, 1, 2, 3, 4}[r.IntN(7)]
			for c := 0; c < copies && len(out) < n; c++ {
				site := r.IntN(40)
				// A paragraph the copy adds is the republisher's own:
				// text of another seed with every third word replaced,
				// so that it makes no copy of anything else in the corpus.
				other := mutate(usable[r.IntN(len(usable))].Body, vocab, r)
				cp := &newsdedup.Article{ID: newsdedup.ArticleID(fmt.Sprintf("g%d", len(out))), Title: s.Title,
					Source: fmt.Sprintf("copy%d.example", site), Body: edit(body, other, site, r)}
				out = append(out, Item{cp, fam})
			}
			fam++
		}
	}
	r.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
	return out
}

// mutate replaces every third word, making a new unrelated text.
func mutate(body []string, vocab []string, r *rand.Rand) []string {
	out := make([]string, len(body))
	for i, p := range body {
		w := strings.Fields(p)
		for j := range w {
			if j%3 == 1 {
				w[j] = vocab[r.IntN(len(vocab))]
			}
		}
		out[i] = strings.Join(w, " ")
	}
	return out
}

var britishRe = strings.NewReplacer("ize", "ise", "ization", "isation", "color", "colour", "center", "centre", "defense", "defence")

// edit makes a copy of body with some of the edits copies show.
func edit(body, other []string, site int, r *rand.Rand) []string {
	out := slices.Clone(body)
	if r.IntN(2) == 0 { // trim the tail
		keep := max(2, len(out)*(60+r.IntN(30))/100)
		out = out[:min(keep, len(out))]
	}
	if r.IntN(3) == 0 && len(out) > 3 { // drop a paragraph
		i := 1 + r.IntN(len(out)-1)
		out = append(out[:i:i], out[i+1:]...)
	}
	if r.IntN(3) == 0 && len(other) > 0 { // add a paragraph from elsewhere
		i := r.IntN(len(out) + 1)
		out = slices.Insert(out, i, other[r.IntN(len(other))])
	}
	if r.IntN(3) == 0 { // British spellings
		for i := range out {
			out[i] = britishRe.Replace(out[i])
		}
	}
	if r.IntN(4) == 0 && len(out) > 3 { // swap two paragraphs
		i := 1 + r.IntN(len(out)-2)
		out[i], out[i+1] = out[i+1], out[i]
	}
	if r.IntN(4) == 0 { // a short lead
		out = slices.Insert(out, 0, "In a report released on Tuesday, officials said the following.")
	}
	if r.IntN(2) == 0 { // the site's chrome, the same on all its pages
		out = append([]string{fmt.Sprintf("Home | Site %d News | Business | Markets | Sign in", site), "Share this article on Facebook Twitter and by email"}, out...)
		out = append(out, "Related stories:", fmt.Sprintf("Subscribe to the Site %d newsletter to get the day's top business stories in your inbox every morning.", site),
			fmt.Sprintf("Copyright 2024 Site %d Media Group. All rights reserved. Reproduction without permission is prohibited.", site))
	}
	return out
}

// distinct drops seeds that are copies of earlier seeds (Reuters-21578
// keeps near-duplicates): a seed sharing a tenth of its shingles with an
// earlier one, or a third of the shorter's, is left out, so the generated
// truth has no copy relation it does not know of. Every earlier seed
// sharing a shingle is compared (an inverted index over all shingles, not
// LSH, which would miss some of the weaker overlaps).
func distinct(seeds []*newsdedup.Article) []*newsdedup.Article {
	m := fingerprint.NewMaker(newsdedup.DefaultParams)
	post := make(map[uint64][]int32)
	var sets [][]uint64
	var out []*newsdedup.Article
	for _, a := range seeds {
		pr := m.Make(a.Body)
		seen := make(map[int32]bool)
		dup := false
		for _, sh := range pr.Shingles {
			for _, id := range post[sh] {
				if !seen[id] && !dup {
					seen[id] = true
					s := align.Compare(sets[id], pr.Shingles)
					dup = s.Jaccard >= 0.1 || s.Containment >= 0.33
				}
			}
		}
		if dup {
			continue
		}
		for _, sh := range pr.Shingles {
			post[sh] = append(post[sh], int32(len(sets)))
		}
		sets = append(sets, pr.Shingles)
		out = append(out, a)
	}
	return out
}
