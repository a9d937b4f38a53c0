package cluster

import (
	"cmp"
	"math"
	"slices"
	"strings"

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
	out = strongest(out, k)
	return out
}

// WhyEvent returns the event evidence of article item (its order of
// addition) against the other articles of story s: the names and facts
// they state too, each with the share of them that do (up to k, most
// shared first; a name must be uncommon in the corpus to count), and the
// conflicts, which the similarity outweighed if item joined s. It runs in
// O(evidence of item + facts of s).
func (c *Stories) WhyEvent(item, s, k int) ([]newsdedup.SharedTerm, []newsdedup.Conflict) {
	if item < 0 || item >= len(c.members) || s < 0 || s >= len(c.stories) || k <= 0 {
		return nil, nil
	}
	m, st := &c.members[item], c.stories[s]
	var own *facts
	n := st.members
	if m.story == s && !m.ghost {
		own = &m.ev
		n--
	}
	if n <= 0 || !st.facts.counted {
		return nil, nil
	}
	count := func(cnt *counts, id uint32, mine bool) int32 {
		x := cnt.get(id)
		if mine && own != nil {
			x--
		}
		return x
	}
	var shared []newsdedup.SharedTerm
	share := func(name string, x int32) {
		if x > 0 {
			shared = append(shared, newsdedup.SharedTerm{Term: name, Weight: math.Round(float64(x)/float64(n)*10000) / 10000})
		}
	}
	for _, e := range m.ev.ents {
		if !c.common(e) {
			share(c.evNames[e][2:], count(&st.facts.ents, e, true))
		}
	}
	for _, f := range m.ev.facts {
		share(strings.Replace(c.evNames[f[1]][2:], "\x00", "=", 1), count(&st.facts.facts, f[1], true))
	}
	shared = strongest(shared, k)
	v := c.judge(m.ev, m.times, st, own, true)
	var conflicts []newsdedup.Conflict
	var lead []string
	for _, id := range v.conflict {
		key := c.evNames[id]
		if key[0] == 'e' {
			lead = append(lead, key[2:])
			continue
		}
		// A fact's noun: the article's values and the story's.
		noun := key[2:]
		cf := newsdedup.Conflict{What: noun}
		for _, f := range m.ev.facts {
			if f[0] == id {
				cf.Article = append(cf.Article, factValue(c.evNames[f[1]]))
			}
		}
		prefix := "f\x00" + noun + "\x00"
		st.facts.facts.each(func(fid uint32, x int32) {
			if x > 0 && strings.HasPrefix(c.evNames[fid], prefix) && !slices.Contains(cf.Article, factValue(c.evNames[fid])) {
				cf.Story = append(cf.Story, factValue(c.evNames[fid]))
			}
		})
		slices.Sort(cf.Story)
		conflicts = append(conflicts, cf)
	}
	if len(lead) > 0 {
		conflicts = append(conflicts, newsdedup.Conflict{What: "lead names", Article: lead})
	}
	return shared, conflicts
}

// factValue returns the value of a fact's key.
func factValue(key string) string {
	return key[strings.LastIndexByte(key, 0)+1:]
}

// strongest sorts terms by weight, strongest first (ties by term), and
// keeps the first k.
func strongest(terms []newsdedup.SharedTerm, k int) []newsdedup.SharedTerm {
	slices.SortFunc(terms, func(a, b newsdedup.SharedTerm) int {
		if c := cmp.Compare(b.Weight, a.Weight); c != 0 {
			return c
		}
		return cmp.Compare(a.Term, b.Term)
	})
	return terms[:min(k, len(terms))]
}
