// Package lsh finds candidate copies: articles whose MinHash signatures agree
// in at least one band (banded locality-sensitive hashing), and articles that
// share winnowed anchors (partial reuse too small for the bands to see).
//
// # Bands and rows
//
// With b bands of r rows, two texts at Jaccard s become candidates with
// probability P(s) = 1 − (1 − s^r)^b. newsdedup.DefaultParams use b = 64,
// r = 2 (128 signature slots), tuned for copies that sit at Jaccard 0.3–0.5
// once chrome, rewording and additions are counted:
//
//	s      0.10  0.20  0.30    0.40     0.50
//	P(s)   0.47  0.93  0.9976  0.99999  1 − 1e-8
//
// so the false-negative rate is 0.24% at Jaccard 0.3 and under 1.5e-5 from
// 0.4 up. Unrelated news shares almost no 5-word shingle (s < 0.02, P < 0.03),
// so verification work stays proportional to the true copies.
//
// An Index is not safe for concurrent use.
package lsh

import (
	"newsdedup"
	"newsdedup/textnorm"
)

// Index is a banded LSH index over signatures of one newsdedup.Params.
type Index struct {
	p       newsdedup.Params
	buckets []map[uint64][]int32
}

// New returns an empty index for signatures made with p.
func New(p newsdedup.Params) *Index {
	x := &Index{p: p, buckets: make([]map[uint64][]int32, p.Bands)}
	for i := range x.buckets {
		x.buckets[i] = make(map[uint64][]int32)
	}
	return x
}

// Prob returns the probability that two signatures at Jaccard s share a band.
func Prob(p newsdedup.Params, s float64) float64 {
	q := 1.0
	for range p.Rows {
		q *= s
	}
	miss := 1.0
	for range p.Bands {
		miss *= 1 - q
	}
	return 1 - miss
}

func (x *Index) key(sig []uint64, band int) uint64 {
	h := uint64(band) + 1
	for _, v := range sig[band*x.p.Rows : (band+1)*x.p.Rows] {
		h = textnorm.Mix(h ^ v)
	}
	return h
}

// Add indexes sig under id. An id must be added once. It runs in O(bands).
func (x *Index) Add(id int32, sig []uint64) {
	for b := range x.buckets {
		k := x.key(sig, b)
		x.buckets[b][k] = append(x.buckets[b][k], id)
	}
}

// Query calls fn for every id that shares a band with sig, once per shared
// band (callers deduplicate). It runs in O(bands + matches).
func (x *Index) Query(sig []uint64, fn func(id int32)) {
	for b := range x.buckets {
		for _, id := range x.buckets[b][x.key(sig, b)] {
			fn(id)
		}
	}
}

// Anchors is an inverted index from winnowed shingle hashes to the articles
// that hold them. An anchor held by more than MaxPosting articles is
// boilerplate (a standard sign-off, a legal notice) and stops being indexed or
// returned. The zero value is not usable; call NewAnchors.
type Anchors struct {
	MaxPosting int
	post       map[uint64][]int32
	stop       map[uint64]bool
}

// NewAnchors returns an empty anchor index.
func NewAnchors(maxPosting int) *Anchors {
	return &Anchors{MaxPosting: maxPosting, post: make(map[uint64][]int32), stop: make(map[uint64]bool)}
}

// Add indexes the anchors of id.
func (x *Anchors) Add(id int32, anchors []uint64) {
	for _, a := range anchors {
		if x.stop[a] {
			continue
		}
		p := append(x.post[a], id)
		if len(p) > x.MaxPosting {
			delete(x.post, a)
			x.stop[a] = true
			continue
		}
		x.post[a] = p
	}
}

// Query calls fn for every id sharing an anchor with anchors, once per shared anchor.
func (x *Anchors) Query(anchors []uint64, fn func(id int32)) {
	for _, a := range anchors {
		for _, id := range x.post[a] {
			fn(id)
		}
	}
}
