package align

import (
	"slices"

	"github.com/newsdedup/newsdedup"
	"github.com/newsdedup/newsdedup/textnorm"
)

// A Text is one text's paragraphs made ready to align with others: the
// word pairs of every paragraph (as Paragraphs gives them) in one array,
// sorted by hash. Made once for a text, it aligns with any number of others
// (AlignTexts) without hashing the text again, and aligning two Texts is
// one merge of two sorted arrays where Align on paragraph sets builds hash
// maps. A Text is not modified once made: it is safe for concurrent use.
type Text struct {
	pairs []pairAt // sorted by hash, then paragraph
	sizes []int32  // distinct word pairs of each paragraph
}

// pairAt is a word pair's hash and the paragraph holding it.
type pairAt struct {
	h    uint64
	para int32
}

// NewText returns the Text of the paragraphs paras. It runs in
// O(n log n) time for n words.
func NewText(p newsdedup.Params, paras []string) *Text {
	var t textnorm.Tokenizer
	var toks, sh []uint64
	n := 0
	for _, para := range paras {
		n += len(para)
	}
	pairs := make([]pairAt, 0, n/4+8) // words are some 6 bytes with their space
	for i, para := range paras {
		toks = t.HashTokens(toks[:0], para, p.Seed)
		sh = textnorm.Shingles(sh[:0], toks, ParagraphShingle)
		for _, h := range sh {
			pairs = append(pairs, pairAt{h, int32(i)})
		}
	}
	return newText(pairs, len(paras))
}

// newText sorts pairs, given in order of paragraph, drops a pair repeated
// in one paragraph and counts the paragraphs' pairs: the Text of n
// paragraphs.
func newText(pairs []pairAt, n int) *Text {
	pairs = slices.Compact(sortPairs(pairs))
	t := &Text{pairs: pairs, sizes: make([]int32, n)}
	for _, x := range pairs {
		t.sizes[x.para]++
	}
	return t
}

// sortPairs returns pairs, given in order of paragraph, sorted by hash,
// then paragraph, in a new array. The hashes being uniform, it runs in
// O(len(pairs)) expected time: a stable pass on their top bits, about as
// many buckets as pairs (2⁸ to 2¹⁶), then a stable insertion sort of each
// bucket.
func sortPairs(pairs []pairAt) []pairAt {
	bits := 8
	for 1<<bits < len(pairs) && bits < 16 {
		bits++
	}
	shift := 64 - bits
	end := make([]int32, 1<<bits)
	for _, x := range pairs {
		end[x.h>>shift]++
	}
	sum := int32(0)
	for d, c := range end {
		end[d] = sum // the bucket's start, until its pairs are placed
		sum += c
	}
	out := make([]pairAt, len(pairs))
	for _, x := range pairs {
		d := x.h >> shift
		out[end[d]] = x
		end[d]++
	}
	start := int32(0)
	for _, e := range end {
		b := out[start:e]
		for i := 1; i < len(b); i++ {
			for j := i; j > 0 && b[j].h < b[j-1].h; j-- {
				b[j], b[j-1] = b[j-1], b[j]
			}
		}
		start = e
	}
	return out
}

// textOf returns the Text of paragraph sets (as Paragraphs returns them).
func textOf(paras [][]uint64) *Text {
	n := 0
	for _, sh := range paras {
		n += len(sh)
	}
	pairs := make([]pairAt, 0, n)
	for i, sh := range paras {
		for _, h := range sh {
			pairs = append(pairs, pairAt{h, int32(i)})
		}
	}
	return newText(pairs, len(paras))
}

// AlignTexts is Align for Texts. It runs in O(len(a) + len(b)) time, plus
// O(p log p) for the p paragraph pairs sharing a word pair when the texts
// have many paragraphs.
func AlignTexts(a, b *Text) Alignment {
	ca := newCounts(len(a.sizes), len(b.sizes))
	cb := newCounts(len(b.sizes), len(a.sizes))
	pa, pb := a.pairs, b.pairs
	i, j := 0, 0
	for i < len(pa) && j < len(pb) {
		h := pa[i].h
		switch {
		case h < pb[j].h:
			i++
		case h > pb[j].h:
			j++
		default:
			// Each paragraph holding h counts it towards the first
			// paragraph of the other text that holds it.
			firstA, firstB := pa[i].para, pb[j].para
			for ; i < len(pa) && pa[i].h == h; i++ {
				ca.add(pa[i].para, firstB)
			}
			for ; j < len(pb) && pb[j].h == h; j++ {
				cb.add(pb[j].para, firstA)
			}
		}
	}
	return Alignment{A: ca.best(a.sizes), B: cb.best(b.sizes)}
}

// denseCounts is the most paragraph pairs counted in a matrix; more are
// counted in a sorted list.
const denseCounts = 1 << 14

// counts counts, for each paragraph of one text (a row), the word pairs it
// shares with each paragraph of the other (a column).
type counts struct {
	cols   int
	dense  []int32  // rows × cols, if not nil
	sparse []uint64 // row<<32 | col, once per shared word pair
}

func newCounts(rows, cols int) *counts {
	c := &counts{cols: cols}
	if rows*cols <= denseCounts {
		c.dense = make([]int32, rows*cols)
	}
	return c
}

func (c *counts) add(row, col int32) {
	if c.dense != nil {
		c.dense[int(row)*c.cols+int(col)]++
	} else {
		c.sparse = append(c.sparse, uint64(row)<<32|uint64(col))
	}
}

// best returns each row's best match: the column sharing the most word
// pairs, the first among equals; sizes are the rows' sizes.
func (c *counts) best(sizes []int32) []Match {
	out := make([]Match, len(sizes))
	bestN := make([]int32, len(sizes))
	for i := range out {
		out[i] = Match{Index: -1, Size: int(sizes[i])}
	}
	see := func(row, col int, n int32) {
		if n > bestN[row] {
			out[row].Index, bestN[row] = col, n
		}
	}
	if c.dense != nil {
		for row := range out {
			for col, n := range c.dense[row*c.cols : (row+1)*c.cols] {
				see(row, col, n)
			}
		}
	} else {
		slices.Sort(c.sparse)
		for k := 0; k < len(c.sparse); {
			v := c.sparse[k]
			n := int32(0)
			for ; k < len(c.sparse) && c.sparse[k] == v; k++ {
				n++
			}
			see(int(v>>32), int(uint32(v)), n)
		}
	}
	for i := range out {
		if sizes[i] > 0 && bestN[i] > 0 {
			out[i].Cover = float64(bestN[i]) / float64(sizes[i])
		}
	}
	return out
}
