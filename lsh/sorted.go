package lsh

import (
	"slices"
	"sync"

	"github.com/newsdedup/newsdedup"
)

// Sorted is a band index built once, in bulk, over the articles 0, 1, …,
// n−1: per band, every article's bucket key and id packed in one sorted
// array (key<<32 | id), so that the articles of a bucket lie side by side
// in id order. Finding the articles before an indexed one that share its
// buckets (Earlier) reads them in a row, where Index follows a chain from
// id to id, one cache miss each: at some hundred thousand articles the
// chains of the buckets templated texts share (earnings tables, dividend
// notices) were the costliest part of finding copies. An entry costs 12
// bytes (64 bands: 768 bytes an article).
//
// Sorted is never modified once built; it is safe for concurrent use.
type Sorted struct {
	p       newsdedup.Params
	entries [][]uint64 // per band: key<<32 | id, sorted; no entry for key 0
	pos     []int32    // pos[id*Bands+b]: where id is in entries[b], or -1
}

// NewSorted indexes the articles 0, 1, …: keys holds their Keys one after
// the other, p.Bands each; a key 0 (an empty text's) is left out. The work
// is shared out among workers goroutines. It runs in O(len(keys)) time.
func NewSorted(p newsdedup.Params, keys []uint32, workers int) *Sorted {
	nb := p.Bands
	n := len(keys) / nb
	workers = max(1, workers)
	x := &Sorted{p: p, entries: make([][]uint64, nb), pos: make([]int32, len(keys))}
	for b := range x.entries {
		x.entries[b] = make([]uint64, n)
	}
	// keys is read once, in order, each worker a range of articles.
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for id := w * n / workers; id < (w+1)*n/workers; id++ {
				for b, k := range keys[id*nb : (id+1)*nb] {
					x.entries[b][id] = uint64(k)<<32 | uint64(id)
				}
			}
		})
	}
	wg.Wait()
	// Each band is sorted by key (its entries are in id order already) and
	// its empty keys, first once sorted, cut off.
	for w := range workers {
		wg.Go(func() {
			var tmp []uint64
			for b := w; b < nb; b += workers {
				e := x.entries[b]
				tmp = radixSortHigh(e, tmp)
				zero := 0
				for zero < len(e) && e[zero]>>32 == 0 {
					x.pos[int(uint32(e[zero]))*nb+b] = -1
					zero++
				}
				e = e[zero:]
				for i, v := range e {
					x.pos[int(uint32(v))*nb+b] = int32(i)
				}
				x.entries[b] = e
			}
		})
	}
	wg.Wait()
	return x
}

// radixSortHigh sorts e, whose entries are in order of their low 32 bits,
// by their high 32 bits (four stable passes of 8 bits), using tmp as
// scratch space; it returns tmp, grown if need be.
func radixSortHigh(e, tmp []uint64) []uint64 {
	if len(e) == 0 {
		return tmp
	}
	tmp = slices.Grow(tmp[:0], len(e))[:len(e)]
	var count [256]int
	src, dst := e, tmp
	for shift := uint(32); shift < 64; shift += 8 {
		clear(count[:])
		for _, v := range src {
			count[uint8(v>>shift)]++
		}
		if count[uint8(src[0]>>shift)] == len(src) {
			continue // one digit: the pass would change nothing
		}
		sum := 0
		for d, c := range count {
			count[d] = sum
			sum += c
		}
		for _, v := range src {
			d := uint8(v >> shift)
			dst[count[d]] = v
			count[d]++
		}
		src, dst = dst, src
	}
	if &src[0] != &e[0] {
		copy(e, src)
	}
	return tmp
}

// Len returns the number of articles indexed.
func (x *Sorted) Len() int { return len(x.pos) / x.p.Bands }

// Earlier calls fn for every article before id (a smaller id) that shares a
// bucket with id, once per shared band, oldest first within a band. It runs
// in O(bands + matches), the matches read in a row.
func (x *Sorted) Earlier(id int32, fn func(id int32)) {
	pos := x.pos[int(id)*x.p.Bands : (int(id)+1)*x.p.Bands]
	for b, p := range pos {
		if p <= 0 {
			continue
		}
		e := x.entries[b]
		k := e[p] >> 32
		q := p
		for q > 0 && e[q-1]>>32 == k {
			q--
		}
		for _, v := range e[q:p] {
			fn(int32(uint32(v)))
		}
	}
}

// Keys is Index.Keys: the band keys of sig appended to dst.
func (x *Sorted) Keys(sig []uint64, dst []uint32) []uint32 {
	return keys(x.p, sig, dst)
}

// Query calls fn for every article that shares a band with sig, once per
// shared band, oldest first within a band. It runs in O(bands × log n +
// matches).
func (x *Sorted) Query(sig []uint64, fn func(id int32)) {
	var buf [64]uint32
	x.QueryKeys(x.Keys(sig, buf[:0]), fn)
}

// QueryKeys is Query given the signature's Keys.
func (x *Sorted) QueryKeys(keys []uint32, fn func(id int32)) {
	for b, e := range x.entries {
		k := uint64(keys[b])
		i, _ := slices.BinarySearch(e, k<<32)
		for ; i < len(e) && e[i]>>32 == k; i++ {
			fn(int32(uint32(e[i])))
		}
	}
}

// SortedAnchors is an anchor index (Anchors) built once, in bulk, over the
// articles 0, 1, …: all their anchors in one array sorted by anchor, then
// article, so that the postings of an anchor lie side by side in id order,
// and for each article's anchor the run of postings before it. Earlier
// reads them in a row where Anchors.Query follows a chain of postings. An
// anchor held by more than MaxPosting articles is boilerplate, as in
// Anchors: it is left out (Anchors leaves it out from its MaxPosting+1st
// article on, so that once all are added the two agree). Anchors 0 and 1
// are one anchor. A posting costs 12 bytes.
//
// SortedAnchors is never modified once built; it is safe for concurrent use.
type SortedAnchors struct {
	ids  []int32 // the articles of the postings, sorted by anchor, then article
	from []int32 // from[e]: for the e-th anchor of all articles, the first posting of its anchor
	at   []int32 // at[e]: its own posting; ids[from[e]:at[e]] are the articles before it
	base []int32 // base[id]: article id's first anchor in from and at; len n+1
}

// posting is an anchor, which article holds it and where in from and at.
type posting struct {
	a  uint64
	id int32
	e  int32
}

// NewSortedAnchors indexes anchors[id] (sorted, distinct) under each id,
// the work shared out among workers goroutines. It runs in O(n) expected
// time for n anchors.
func NewSortedAnchors(maxPosting int, anchors [][]uint64, workers int) *SortedAnchors {
	workers = max(1, workers)
	x := &SortedAnchors{base: make([]int32, len(anchors)+1)}
	n := 0
	for id, as := range anchors {
		x.base[id] = int32(n)
		n += len(as)
	}
	x.base[len(anchors)] = int32(n)
	x.ids, x.from, x.at = make([]int32, n), make([]int32, n), make([]int32, n)
	// One stable pass on the top bits of the anchors (uniform hashes) into
	// buckets of a few postings, each then sorted by a stable insertion
	// sort: the postings of one anchor stay in id order.
	bits := 8
	for 1<<bits < n/4 && bits < 24 {
		bits++
	}
	shift := 64 - bits
	end := make([]int32, 1<<bits)
	for _, as := range anchors {
		for _, a := range as {
			end[max(a, 1)>>shift]++
		}
	}
	sum := int32(0)
	for d, c := range end {
		end[d] = sum
		sum += c
	}
	ps := make([]posting, n)
	for id, as := range anchors {
		for k, a := range as {
			a = max(a, 1)
			d := a >> shift
			ps[end[d]] = posting{a, int32(id), x.base[id] + int32(k)}
			end[d]++
		}
	}
	// Buckets are shared out by range (a run of one anchor is in one
	// bucket), each worker sorting its buckets and filling their postings.
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			lo, hi := w*len(end)/workers, (w+1)*len(end)/workers
			start := int32(0)
			if lo > 0 {
				start = end[lo-1]
			}
			for _, e := range end[lo:hi] {
				b := ps[start:e]
				for i := 1; i < len(b); i++ {
					for j := i; j > 0 && b[j].a < b[j-1].a; j-- {
						b[j], b[j-1] = b[j-1], b[j]
					}
				}
				for i := 0; i < len(b); {
					j := i + 1
					for j < len(b) && b[j].a == b[i].a {
						j++
					}
					boiler := j-i > maxPosting
					for q := i; q < j; q++ {
						p := b[q]
						pos := start + int32(q)
						x.ids[pos] = p.id
						if boiler {
							x.from[p.e], x.at[p.e] = 0, 0
						} else {
							x.from[p.e], x.at[p.e] = start+int32(i), pos
						}
					}
					i = j
				}
				start = e
			}
		})
	}
	wg.Wait()
	return x
}

// Earlier calls fn for every article before id (a smaller id) that shares
// an anchor with id, once per shared anchor, oldest first within an
// anchor. It runs in O(anchors of id + matches), the matches read in a row.
func (x *SortedAnchors) Earlier(id int32, fn func(id int32)) {
	for e := x.base[id]; e < x.base[id+1]; e++ {
		for _, j := range x.ids[x.from[e]:x.at[e]] {
			fn(j)
		}
	}
}
