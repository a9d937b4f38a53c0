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
