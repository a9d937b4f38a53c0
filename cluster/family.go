// Package cluster groups articles: into copy families by union–find over copy
// relations, and into stories by incremental clustering on weighted terms,
// entities and time.
package cluster

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/newsdedup/newsdedup"
)

// FamilyConfig tunes Families.
type FamilyConfig struct {
	// Support is the share of cross pairs between two families that must be
	// directly related (by a copy or a partial-reuse relation) for a relation between them to
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
	fs := NewFamilySet(cfg)
	for range arts {
		fs.Add()
	}
	edges := make([]Edge, 0, len(rels))
	for _, r := range rels {
		a, okA := idx[r.A]
		b, okB := idx[r.B]
		if !okA || !okB {
			continue
		}
		if e, ok := EdgeOf(arts, a, b, r.Kind, r.Score); ok {
			edges = append(edges, e)
		}
	}
	fs.Relate(edges)

	var fams []newsdedup.Family
	seen := make(map[int]bool)
	for i := range arts {
		r := fs.Root(i)
		if seen[r] {
			continue
		}
		seen[r] = true
		fams = append(fams, FamilyOf(arts, fs.Members(r), completeness))
	}
	slices.SortStableFunc(fams, func(x, y newsdedup.Family) int { return cmp.Compare(idx[x.Original], idx[y.Original]) })
	return fams
}

// JoinsFamilies reports whether a relation of kind k joins copy families.
func JoinsFamilies(k newsdedup.Kind) bool {
	return k.IsCopy() && k != newsdedup.KindPartialReuse
}

// FamilyOf returns the family of the articles ms (indexes into arts),
// original first.
func FamilyOf(arts []*newsdedup.Article, ms []int, completeness func(i int) int) newsdedup.Family {
	sorted := OrderMembers(arts, ms, completeness)
	ids := make([]newsdedup.ArticleID, len(sorted))
	for k, j := range sorted {
		ids[k] = arts[j].ID
	}
	return newsdedup.Family{ID: familyID(ids[0]), Original: ids[0], Members: ids}
}

// An Edge is a copy relation between articles A and B (indexes).
type Edge struct {
	A, B    int
	Score   float64
	Lineage bool // the two are captures of one URL
	// Exact marks an exact copy (the same normalized text): it merges
	// without the chaining guard, as an identical text can bridge nothing
	// its twin does not. Near-empty texts are related to the first
	// identical text only, a star the guard would stop at two members.
	Exact bool
	// SupportOnly marks a relation that joins no families but shows that
	// the two texts share passages (partial reuse): it counts as a direct
	// relation for the chaining guard. Copies of one original edited each
	// its own way are often related below copy level to each other, while
	// two texts a third one merely quotes share nothing.
	SupportOnly bool
}

// EdgeOf returns the edge of a relation of kind k between arts[a] and
// arts[b], and whether the relation bears on families at all.
func EdgeOf(arts []*newsdedup.Article, a, b int, k newsdedup.Kind, score float64) (Edge, bool) {
	e := Edge{A: a, B: b, Score: score, Lineage: arts[a].URL != "" && arts[a].URL == arts[b].URL, Exact: k == newsdedup.KindExact}
	switch {
	case a == b:
		return e, false
	case JoinsFamilies(k):
		return e, true
	case k == newsdedup.KindPartialReuse:
		e.SupportOnly = true
		return e, true
	}
	return e, false
}

// FamilySet keeps copy families incrementally: articles are added one at a
// time and relations merge their families under the chaining guard of
// FamilyConfig. It is not safe for concurrent use.
type FamilySet struct {
	cfg     FamilyConfig
	uf      *unionFind
	members map[int][]int // root -> members, for families of 2+
	direct  map[[2]int]bool
}

// NewFamilySet returns an empty set.
func NewFamilySet(cfg FamilyConfig) *FamilySet {
	return &FamilySet{cfg: cfg, uf: newUnionFind(0), members: make(map[int][]int), direct: make(map[[2]int]bool)}
}

// Add adds an article in a family of its own and returns its index.
func (f *FamilySet) Add() int {
	i := len(f.uf.parent)
	f.uf.parent = append(f.uf.parent, i)
	f.uf.rank = append(f.uf.rank, 0)
	return i
}

// Root returns the representative of i's family.
// It changes nothing, so readers may call it concurrently.
func (f *FamilySet) Root(i int) int { return f.uf.root(i) }

// Members returns the members of the family whose root is r.
func (f *FamilySet) Members(r int) []int {
	if m, ok := f.members[r]; ok {
		return m
	}
	return []int{r}
}

// Relate records the edges and merges families: captures of one URL first
// (they are one article whatever else it resembles), then the strongest
// relations first. Two families merge over a non-lineage edge only if more
// than Support of their cross pairs are directly related (SupportOnly edges
// count, and merge nothing themselves); exact copies merge without the guard.
func (f *FamilySet) Relate(edges []Edge) {
	for _, e := range edges {
		f.direct[[2]int{min(e.A, e.B), max(e.A, e.B)}] = true
	}
	// Sorted in place of a stable sort (which merges in O(n log² n)): an
	// edge's position breaks the last ties.
	type at struct {
		Edge
		i int
	}
	sorted := make([]at, len(edges))
	for i, e := range edges {
		sorted[i] = at{e, i}
	}
	slices.SortFunc(sorted, func(x, y at) int {
		if x.Lineage != y.Lineage {
			if x.Lineage {
				return -1
			}
			return 1
		}
		if c := cmp.Compare(y.Score, x.Score); c != 0 {
			return c
		}
		// Ties in a fixed order, so that replaying a store rebuilds the
		// same families whatever order its relations come back in.
		if c := cmp.Compare(min(x.A, x.B), min(y.A, y.B)); c != 0 {
			return c
		}
		if c := cmp.Compare(max(x.A, x.B), max(y.A, y.B)); c != 0 {
			return c
		}
		return cmp.Compare(x.i, y.i)
	})
	for _, se := range sorted {
		e := se.Edge
		x, y := f.uf.find(e.A), f.uf.find(e.B)
		if x == y || e.SupportOnly {
			continue
		}
		mx, my := f.Members(x), f.Members(y)
		if !e.Lineage && !e.Exact && len(mx)*len(my) > 1 {
			n := 0
			for _, i := range mx {
				for _, j := range my {
					if f.direct[[2]int{min(i, j), max(i, j)}] {
						n++
					}
				}
			}
			if float64(n) <= f.cfg.Support*float64(len(mx)*len(my)) {
				continue
			}
		}
		r := f.uf.union(x, y)
		merged := append(append([]int(nil), mx...), my...)
		delete(f.members, x)
		delete(f.members, y)
		f.members[r] = merged
	}
}

// Count returns the number of families.
func (f *FamilySet) Count() int {
	n := 0
	for i := range f.uf.parent {
		if f.uf.find(i) == i {
			n++
		}
	}
	return n
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
		if a.URL != "" && a.URL == b.URL {
			// Captures of one address: the earlier capture is the
			// original, in capture time or else in arrival order.
			if !a.Fetched.IsZero() && !b.Fetched.IsZero() {
				if c := a.Fetched.Compare(b.Fetched); c != 0 {
					return c
				}
			}
			return cmp.Compare(i, j)
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

// root is find without path compression: safe for concurrent readers.
// Union by rank keeps it within log n steps.
func (u *unionFind) root(x int) int {
	for u.parent[x] != x {
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

// CreditsSource reports whether copy names where its text came from: the
// original's outlet, or an agency the original itself credits. A copy from
// the original's own outlet (a version) needs no credit and reports true.
func CreditsSource(copy, original *newsdedup.Article) bool {
	if original.Source != "" && strings.EqualFold(copy.Source, original.Source) {
		return true
	}
	for _, c := range copy.Credits {
		if strings.EqualFold(c, original.Source) {
			return true
		}
		for _, oc := range original.Credits {
			if strings.EqualFold(c, oc) {
				return true
			}
		}
	}
	return false
}
