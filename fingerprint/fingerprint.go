// Package fingerprint computes the compact summaries of an article's text
// that candidate search and verification work on: the exact-body hash, the
// sorted shingle set, a MinHash signature by one-permutation hashing with
// densification, and winnowed anchors for finding partial reuse.
//
// Everything here is a pure function of the text and newsdedup.Params.
package fingerprint

import (
	"slices"

	"github.com/zeebo/xxh3"

	"github.com/newsdedup/newsdedup"
	"github.com/newsdedup/newsdedup/textnorm"
)

// Print is the fingerprint of one text.
type Print struct {
	Exact    uint64   // hash of the normalized text; equal for exact duplicates
	Tokens   int      // number of word tokens
	Shingles []uint64 // sorted, distinct shingle hashes
	Sig      []uint64 // MinHash signature, p.NumHash() values
	Anchors  []uint64 // winnowed shingles (sorted, distinct), if the Maker keeps them
}

// Maker computes fingerprints. It reuses buffers between calls and is not
// safe for concurrent use; use one per goroutine.
type Maker struct {
	p       newsdedup.Params
	tok     textnorm.Tokenizer
	toks    []uint64
	sh, anc []uint64 // scratch: shingles and anchors before they are sorted
	exh     *xxh3.Hasher

	// AnchorWindow is the winnowing window of Print.Anchors; 0 computes none.
	AnchorWindow int
	// SkipSig leaves Print.Sig nil, for callers that keep only what they
	// derive from the signature (band keys) and compute it with
	// SignatureInto into a buffer of their own.
	SkipSig bool
}

// NewMaker returns a Maker for p. It panics if p has no bands, rows,
// shingle size or n-gram size, or names an analysis chain other than
// textnorm.Analyzer (the only one this build has).
func NewMaker(p newsdedup.Params) *Maker {
	if p.Bands < 1 || p.Rows < 1 || p.Shingle < 1 || p.Gram < 1 {
		panic("fingerprint: invalid params")
	}
	if p.Analyzer != textnorm.Analyzer {
		panic("fingerprint: params name analyzer " + p.Analyzer + ", this build has " + textnorm.Analyzer)
	}
	return &Maker{p: p, tok: textnorm.Tokenizer{Gram: p.Gram}, exh: xxh3.NewSeed(p.Seed)}
}

// Make returns the fingerprint of the paragraphs paras. Shingles do not cross
// paragraph boundaries. It runs in O(total length) time with one hash per
// token and one per shingle. The slices of the Print are allocated to size
// (the Maker's scratch space holds the rest).
func (m *Maker) Make(paras []string) Print {
	var pr Print
	sh, anc := m.sh[:0], m.anc[:0]
	m.exh.Reset()
	var sep = []byte{' '}
	for _, para := range paras {
		m.toks = m.toks[:0]
		m.tok.Each(para, func(tok []byte) {
			m.toks = append(m.toks, xxh3.HashSeed(tok, m.p.Seed))
			m.exh.Write(tok)
			m.exh.Write(sep)
		})
		pr.Tokens += len(m.toks)
		n := len(sh)
		sh = textnorm.Shingles(sh, m.toks, m.p.Shingle)
		if m.AnchorWindow > 0 {
			anc = appendAnchors(anc, sh[n:], m.AnchorWindow)
		}
	}
	pr.Exact = m.exh.Sum64()
	if len(anc) > 0 {
		slices.Sort(anc)
		pr.Anchors = slices.Clone(slices.Compact(anc))
	}
	slices.Sort(sh)
	pr.Shingles = slices.Clone(slices.Compact(sh))
	m.sh, m.anc = sh, anc
	if !m.SkipSig {
		pr.Sig = Signature(m.p, pr.Shingles)
	}
	return pr
}

// Empty is the value of a signature slot no shingle fell into; an all-Empty
// signature belongs to an empty text.
const Empty = ^uint64(0)

// Signature returns the MinHash signature of the shingle hashes by
// one-permutation hashing (Li et al. 2012): each shingle is hashed once and
// the hash picks one of p.NumHash() bins, which keeps the minimum. Empty bins
// are filled by optimal densification (Shrivastava 2017): bin i takes the
// value of the first non-empty bin in a fixed pseudo-random probe sequence of
// i, so two signatures still collide in a bin with probability equal to the
// Jaccard similarity. It runs in O(len(shingles) + NumHash) expected time.
func Signature(p newsdedup.Params, shingles []uint64) []uint64 {
	return SignatureInto(p, shingles, nil)
}

// SignatureInto is Signature written into dst (grown if short), for callers
// that reuse one buffer; it returns the signature.
func SignatureInto(p newsdedup.Params, shingles []uint64, dst []uint64) []uint64 {
	k := p.NumHash()
	sig := slices.Grow(dst[:0], k)[:k]
	for i := range sig {
		sig[i] = Empty
	}
	if len(shingles) == 0 {
		return sig
	}
	seed := textnorm.Mix(p.Seed)
	filled := 0
	for _, s := range shingles {
		h := textnorm.Mix(s ^ seed)
		bin := int((h >> 32) * uint64(k) >> 32)
		v := h & 0xffffffff // the low bits order shingles within a bin
		if sig[bin] == Empty {
			filled++
		}
		if v < sig[bin] {
			sig[bin] = v
		}
	}
	if filled == k {
		return sig
	}
	// Filled in place: a bin's own value is below 2³², a borrowed one is
	// tagged above it, so the probes still see only the bins' own values.
	for i := range sig {
		if sig[i] != Empty {
			continue
		}
		for attempt := uint64(1); ; attempt++ {
			j := int((textnorm.Mix(seed^uint64(i)<<32^attempt) >> 32) * uint64(k) >> 32)
			if sig[j] < 1<<32 {
				// Tag the copied value with the attempt so that a value
				// borrowed from another bin differs from one found there.
				sig[i] = sig[j] | attempt<<40
				break
			}
		}
	}
	return sig
}

// Anchors returns the shingle hashes selected by winnowing (Schleimer et al.
// 2003) with window w: the minimum of every w consecutive shingles. Any two
// texts that share a run of w+k-1 words share at least one anchor. The
// result is sorted and distinct; it holds about 2/(w+1) of the shingles.
func Anchors(shinglesInOrder []uint64, w int) []uint64 {
	out := appendAnchors(nil, shinglesInOrder, w)
	slices.Sort(out)
	return slices.Compact(out)
}

// appendAnchors appends the winnowed shingles to out, unsorted.
func appendAnchors(out, shinglesInOrder []uint64, w int) []uint64 {
	if len(shinglesInOrder) == 0 {
		return out
	}
	if len(shinglesInOrder) <= w {
		return append(out, slices.Min(shinglesInOrder))
	}
	last := -1
	for i := 0; i+w <= len(shinglesInOrder); i++ {
		m := i
		for j := i + 1; j < i+w; j++ {
			if shinglesInOrder[j] <= shinglesInOrder[m] {
				m = j
			}
		}
		if m != last {
			out = append(out, shinglesInOrder[m])
			last = m
		}
	}
	return out
}
