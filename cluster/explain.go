package cluster

import (
	"cmp"
	"math"
	"slices"

	"github.com/newsdedup/newsdedup"
)

// Why returns the k terms that most tie article item (its order of
// addition) to the other articles of story s, strongest first, each with
// its part of item's average cosine with them: its weight in item's vector
// times its mean weight in theirs. It is the evidence of a same_story
// relation. It returns nil for a story of item alone, or when the
// clusterer keeps no story sums (StoryConfig.Average 0). It runs in
// O(terms of item) and, the first time, O(terms known).
func (c *Stories) Why(item, s, k int) []newsdedup.SharedTerm {
	if item < 0 || item >= len(c.members) || s < 0 || s >= len(c.stories) || k <= 0 {
		return nil
	}
	m, st := &c.members[item], c.stories[s]
	n := st.members
	own := m.story == s && !m.ghost
	if own {
		n--
	}
	if n <= 0 || len(st.sum.slots) == 0 {
		return nil
	}
	if len(c.names) != len(c.terms) { // once: weigh keeps it whole after
		c.names = make([]string, len(c.terms))
		for t, id := range c.terms {
			c.names[id] = t
		}
	}
	var out []newsdedup.SharedTerm
	for _, e := range m.vec {
		sum := st.sum.get(e.term)
		if own {
			sum -= float64(e.w)
		}
		if x := float64(e.w) * sum / float64(n); x > 1e-6 {
			out = append(out, newsdedup.SharedTerm{Term: c.names[e.term], Weight: math.Round(x*10000) / 10000})
		}
	}
	slices.SortFunc(out, func(a, b newsdedup.SharedTerm) int {
		if c := cmp.Compare(b.Weight, a.Weight); c != 0 {
			return c
		}
		return cmp.Compare(a.Term, b.Term)
	})
	if len(out) > k {
		out = out[:k]
	}
	return out
}
