// Package align verifies candidate copies on their real shingle sets and
// aligns their paragraphs, producing the evidence a person reads: which
// passages were kept, changed, removed or added.
package align

import (
	"slices"

	"github.com/newsdedup/newsdedup"
	"github.com/newsdedup/newsdedup/textnorm"
)

// Overlap returns the number of hashes two sorted, distinct sets share. It
// runs in O(len(a)+len(b)) time.
func Overlap(a, b []uint64) int {
	n, i, j := 0, 0, 0
	for i < len(a) && j < len(b) {
		switch {
		case a[i] < b[j]:
			i++
		case a[i] > b[j]:
			j++
		default:
			n++
			i++
			j++
		}
	}
	return n
}

// Scores are the set similarities of two shingle sets.
type Scores struct {
	Shared      int     // |A ∩ B|
	Jaccard     float64 // |A ∩ B| / |A ∪ B|
	ContainsA   float64 // |A ∩ B| / |A|: how much of A is in B
	ContainsB   float64 // |A ∩ B| / |B|
	Containment float64 // of the shorter in the longer: max(ContainsA, ContainsB)
}

// Compare returns the similarities of two sorted, distinct shingle sets.
func Compare(a, b []uint64) Scores {
	s := Scores{Shared: Overlap(a, b)}
	if s.Shared == 0 {
		return s
	}
	s.Jaccard = float64(s.Shared) / float64(len(a)+len(b)-s.Shared)
	s.ContainsA = float64(s.Shared) / float64(len(a))
	s.ContainsB = float64(s.Shared) / float64(len(b))
	s.Containment = max(s.ContainsA, s.ContainsB)
	return s
}

// ParagraphShingle is the shingle size for aligning paragraphs. Word pairs,
// not the 5-word shingles of whole texts: inside one short paragraph a
// single changed word would cost five of its 5-word shingles.
const ParagraphShingle = 2

// Paragraphs returns the sorted, distinct set of word pairs of each paragraph.
func Paragraphs(p newsdedup.Params, paras []string) [][]uint64 {
	var t textnorm.Tokenizer
	var toks []uint64
	out := make([][]uint64, len(paras))
	for i, para := range paras {
		toks = t.HashTokens(toks[:0], para, p.Seed)
		sh := textnorm.Shingles(nil, toks, ParagraphShingle)
		slices.Sort(sh)
		out[i] = slices.Compact(sh)
	}
	return out
}

// Found is the share of a paragraph's word pairs a paragraph of the other
// text must hold for the paragraph to count as found there.
const Found = 0.5

// Match is one paragraph's best counterpart in the other text.
type Match struct {
	Index int     // paragraph index in the other text, -1 if none shares a shingle
	Cover float64 // share of this paragraph's shingles found in that paragraph
	Size  int     // this paragraph's shingles
}

// Alignment maps each paragraph of A to its best counterpart in B and back.
// Paragraphs may be split, merged or reordered between the texts.
type Alignment struct {
	A []Match // for each paragraph of A
	B []Match // for each paragraph of B
}

// Align aligns the paragraphs of a and b (as returned by Paragraphs). It runs
// in O(n log n) time for n shingles (see AlignTexts, to align a text with
// several others).
func Align(a, b [][]uint64) Alignment {
	return AlignTexts(textOf(a), textOf(b))
}

// Evidence summarizes an alignment: a paragraph of A is kept when all of its
// shingles are found in one paragraph of B, changed when at least Found of
// them are, removed otherwise; a paragraph of B not found in A is added.
func (al Alignment) Evidence(shared int) *newsdedup.Evidence {
	ev := &newsdedup.Evidence{Shared: shared}
	run := 0
	for _, m := range al.A {
		switch {
		case m.Cover >= 1:
			ev.Kept++
			run++
		case m.Cover >= Found:
			ev.Changed++
			run++
		default:
			ev.Removed++
			run = 0
		}
		ev.Longest = max(ev.Longest, run)
	}
	for _, m := range al.B {
		if m.Cover < Found {
			ev.Added++
		}
	}
	return ev
}

// FoundShare returns, for A and for B, the share of the text (in word
// pairs) that lies in paragraphs found in the other text with at least
// cover of their word pairs. A copy reworded throughout keeps nearly all of
// its paragraphs findable though few of its 5-word shingles survive; a text
// that took over some passages has the rest of its paragraphs unfound.
func (al Alignment) FoundShare(cover float64) (a, b float64) {
	share := func(ms []Match) float64 {
		var found, all int
		for _, m := range ms {
			all += m.Size
			if m.Cover >= cover {
				found += m.Size
			}
		}
		if all == 0 {
			return 0
		}
		return float64(found) / float64(all)
	}
	return share(al.A), share(al.B)
}

// A Filter summarizes a shingle set in 4096 bits, one for each value of a
// hash's top 12 bits, to bound from above how many shingles another set
// shares with it: every shared shingle falls on a set bit. For sets of a
// hundred uniform hashes the bound exceeds the true count by about three,
// and costs one bit test a shingle of the other set, where Overlap merges
// both sets. The zero value summarizes the empty set.
type Filter [64]uint64

// Reset makes f the summary of set.
func (f *Filter) Reset(set []uint64) {
	*f = Filter{}
	for _, h := range set {
		f[h>>58] |= 1 << (h >> 52 & 63)
	}
}

// SharedAtMost returns an upper bound on the shingles set b shares with
// f's set: those of b that fall on a bit of f.
func (f *Filter) SharedAtMost(b []uint64) int {
	n := 0
	for _, h := range b {
		n += int(f[h>>58] >> (h >> 52 & 63) & 1)
	}
	return n
}

// Tops returns the top 12 bits of each hash of set, all that
// SharedAtMostTops needs of it, in a quarter of set's memory.
func Tops(set []uint64) []uint16 {
	tops := make([]uint16, len(set))
	for i, h := range set {
		tops[i] = uint16(h >> 52)
	}
	return tops
}

// SharedAtMostTops is SharedAtMost of the set b whose Tops are tops: the
// same bound.
func (f *Filter) SharedAtMostTops(tops []uint16) int {
	n := 0
	for _, t := range tops {
		n += int(f[t>>6] >> (t & 63) & 1)
	}
	return n
}
