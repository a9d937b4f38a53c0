// Package cluster groups articles: into copy families by union–find over copy
// relations, and into stories by incremental clustering on weighted terms,
// entities and time.
package cluster

import (
	"cmp"
	"fmt"
	"slices"

	"newsdedup"
)

// FamilyConfig tunes Families.
type FamilyConfig struct {
	// Support is the share of cross pairs between two families that must be
	// directly related by a copy relation for a relation between them to
	// merge them. It guards against chaining: if B quotes both A and C, and
	// A and C share nothing, B may join A's family but does not pull C in.
	// Relations between articles of one URL lineage merge without the guard.
	Support float64
}

// DefaultFamilyConfig is the configuration newsdedup uses.
var DefaultFamilyConfig = FamilyConfig{Support: 0.5}

// Families returns the copy families of arts: every article is in exactly
// one family, singletons included. Exact, near-duplicate, version and
// reprint relations join families; partial reuse does not: an article that
// takes over a few paragraphs of another is a different article with an
// original of its own, and the relation (with its evidence) says what it
// took. The members of each family are listed
// original first, then by publication time; families are ordered by their
// original's position in arts. completeness(i) ranks the completeness of
// arts[i] (its word count, say) to break ties between equally dated
// candidates for the original.
//
// It runs in O(R log R + R·m²) time for R relations and families of m
// members at most.
func Families(cfg FamilyConfig, arts []*newsdedup.Article, rels []newsdedup.Relation, completeness func(i int) int) []newsdedup.Family {
	idx := make(map[newsdedup.ArticleID]int, len(arts))
	for i, a := range arts {
		idx[a.ID] = i
	}
	type edge struct {
		a, b    int
		score   float64
		lineage bool
	}
	direct := make(map[[2]int]bool)
	var edges []edge
	for _, r := range rels {
		if !r.Kind.IsCopy() || r.Kind == newsdedup.KindPartialReuse {
			continue
		}
		a, okA := idx[r.A]
		b, okB := idx[r.B]
		if !okA || !okB || a == b {
			continue
		}
		direct[[2]int{min(a, b), max(a, b)}] = true
		lineage := arts[a].URL != "" && arts[a].URL == arts[b].URL
		edges = append(edges, edge{a, b, r.Score, lineage})
	}
	// Captures of one URL first: they are one article whatever else it
	// resembles. Then the strongest relations first.
	slices.SortStableFunc(edges, func(x, y edge) int {
		if x.lineage != y.lineage {
			if x.lineage {
				return -1
			}
			return 1
		}
		return cmp.Compare(y.score, x.score)
	})

	uf := newUnionFind(len(arts))
	members := make(map[int][]int) // root -> members, for roots of families of 2+
	get := func(r int) []int {
		if m, ok := members[r]; ok {
			return m
		}
		return []int{r}
	}
	for _, e := range edges {
		x, y := uf.find(e.a), uf.find(e.b)
		if x == y {
			continue
		}
		mx, my := get(x), get(y)
		if !e.lineage && len(mx)*len(my) > 1 {
			n := 0
			for _, i := range mx {
				for _, j := range my {
					if direct[[2]int{min(i, j), max(i, j)}] {
						n++
					}
				}
			}
			if float64(n) <= cfg.Support*float64(len(mx)*len(my)) {
				continue
			}
		}
		r := uf.union(x, y)
		merged := append(append([]int(nil), mx...), my...)
		delete(members, x)
		delete(members, y)
		members[r] = merged
	}

	var fams []newsdedup.Family
	seen := make(map[int]bool)
	for i := range arts {
		r := uf.find(i)
		if seen[r] {
			continue
		}
		seen[r] = true
		ms := get(r)
		sorted := OrderMembers(arts, ms, completeness)
		ids := make([]newsdedup.ArticleID, len(sorted))
		for k, j := range sorted {
			ids[k] = arts[j].ID
		}
		fams = append(fams, newsdedup.Family{ID: familyID(ids[0]), Original: ids[0], Members: ids})
	}
	slices.SortStableFunc(fams, func(x, y newsdedup.Family) int { return cmp.Compare(idx[x.Original], idx[y.Original]) })
	return fams
}

func familyID(original newsdedup.ArticleID) string { return fmt.Sprintf("f-%s", original) }

// OrderMembers returns the indexes ms of arts ordered original first: dated
// articles before undated ones, earlier before later, then articles that
// credit no other outlet before those that do, then the more complete
// (higher completeness), then by ID.
func OrderMembers(arts []*newsdedup.Article, ms []int, completeness func(i int) int) []int {
	out := slices.Clone(ms)
	slices.SortStableFunc(out, func(i, j int) int {
		a, b := arts[i], arts[j]
		if az, bz := a.Published.IsZero(), b.Published.IsZero(); az != bz {
			if az {
				return 1
			}
			return -1
		}
		if c := a.Published.Compare(b.Published); c != 0 {
			return c
		}
		if ac, bc := credits(a, b), credits(b, a); ac != bc {
			if ac {
				return 1
			}
			return -1
		}
		if c := cmp.Compare(completeness(j), completeness(i)); c != 0 {
			return c
		}
		return cmp.Compare(a.ID, b.ID)
	})
	return out
}

// credits reports whether a credits b's outlet.
func credits(a, b *newsdedup.Article) bool {
	if b.Source == "" {
		return false
	}
	return slices.Contains(a.Credits, b.Source)
}

type unionFind struct{ parent, rank []int }

func newUnionFind(n int) *unionFind {
	u := &unionFind{parent: make([]int, n), rank: make([]int, n)}
	for i := range u.parent {
		u.parent[i] = i
	}
	return u
}

func (u *unionFind) find(x int) int {
	for u.parent[x] != x {
		u.parent[x] = u.parent[u.parent[x]]
		x = u.parent[x]
	}
	return x
}

func (u *unionFind) union(x, y int) int {
	x, y = u.find(x), u.find(y)
	if x == y {
		return x
	}
	if u.rank[x] < u.rank[y] {
		x, y = y, x
	}
	u.parent[y] = x
	if u.rank[x] == u.rank[y] {
		u.rank[x]++
	}
	return x
}
