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
	"slices"
	"sync"

	"github.com/newsdedup/newsdedup"
	"github.com/newsdedup/newsdedup/textnorm"
)

// Index is a banded LSH index over signatures of one newsdedup.Params.
// It is not safe for concurrent use, but Query may run concurrently with
// other Queries.
//
// Its layout is flat, for memory and for the garbage collector: per band an
// open-addressing table from a 32-bit bucket key to the newest id in the
// bucket, and one array chaining each id to the previous id of its bucket in
// every band. An entry costs about 18 bytes (64 bands: 1.2 KB an article),
// against some 55 for a Go map of slices. Two buckets whose keys agree in 32
// bits merge; that adds a candidate in about n/2³² of the lookups, which
// verification then drops. Ids should be dense (article indexes): the chain
// array has one row per id up to the largest.
//
// The chain array holds an id's links of all bands side by side (a row of
// p.Bands int32), and a table keeps a bucket's key beside its head: a query
// that meets the same copies in many bands reads each copy's row once from
// memory, not once per band (a query of a text with nine scattered copies
// took 2.4 times as long with a chain array per band).
type Index struct {
	p     newsdedup.Params
	bands []table
	next  []int32 // next[id*p.Bands+b]: the previous id in id's bucket of band b, or -1
}

// table maps bucket keys (never 0) to the newest id in the bucket.
type table struct {
	slots []bucket
	used  int
	shift uint8 // 32 − log2(len(slots))
}

// A bucket is a table slot: a key (0: empty) and the newest id under it.
type bucket struct {
	key  uint32
	head int32
}

func newTable(logSize uint8) table {
	return table{slots: make([]bucket, 1<<logSize), shift: 32 - logSize}
}

// slot returns the slot of k: where it is, or the empty slot where it goes.
func (t *table) slot(k uint32) int {
	mask := len(t.slots) - 1
	s := int((k * 0x9E3779B1) >> t.shift)
	for t.slots[s].key != 0 && t.slots[s].key != k {
		s = (s + 1) & mask
	}
	return s
}

// grow doubles the table.
func (t *table) grow() {
	old := *t
	*t = newTable(32 - old.shift + 1)
	t.used = old.used
	for _, b := range old.slots {
		if b.key != 0 {
			t.slots[t.slot(b.key)] = b
		}
	}
}

// New returns an empty index for signatures made with p.
func New(p newsdedup.Params) *Index {
	x := &Index{p: p, bands: make([]table, p.Bands)}
	for i := range x.bands {
		x.bands[i] = newTable(10)
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

// Keys appends the band keys of sig to dst and returns it: one 32-bit
// bucket key per band (never 0), which is all Add and Query use of a
// signature. Callers that add and query one signature keep its keys rather
// than the signature (p.Bands × 4 bytes instead of p.NumHash() × 8).
func (x *Index) Keys(sig []uint64, dst []uint32) []uint32 {
	return keys(x.p, sig, dst)
}

func keys(p newsdedup.Params, sig []uint64, dst []uint32) []uint32 {
	for band := range p.Bands {
		h := uint64(band) + 1
		for _, v := range sig[band*p.Rows : (band+1)*p.Rows] {
			h = textnorm.Mix(h ^ v)
		}
		k := uint32(h >> 32)
		if k == 0 {
			k = 1
		}
		dst = append(dst, k)
	}
	return dst
}

// Add indexes sig under id (≥ 0). An id must be added once. It runs in
// O(bands), amortized.
func (x *Index) Add(id int32, sig []uint64) {
	var buf [64]uint32
	x.AddKeys(id, x.Keys(sig, buf[:0]))
}

// AddKeys is Add given the signature's Keys.
func (x *Index) AddKeys(id int32, keys []uint32) {
	if need := (int(id) + 1) * len(x.bands); need > len(x.next) {
		x.reserve(max(need, len(x.next)*5/4))
	}
	for b := range x.bands {
		x.add(b, id, keys[b])
	}
}

// AddMany indexes the articles first, first+1, …: keys holds their Keys one
// after the other, p.Bands each; an article whose keys are all 0 (an empty
// text) is left out. The bands are shared out among workers goroutines, a
// run of neighbouring bands each (so that two seldom write one cache line
// of a row).
func (x *Index) AddMany(first int32, keys []uint32, workers int) {
	nb := len(x.bands)
	n := len(keys) / nb
	x.reserve((int(first) + n) * nb)
	workers = max(1, min(workers, nb))
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for b := w * nb / workers; b < (w+1)*nb/workers; b++ {
				for k := range n {
					if key := keys[k*nb+b]; key != 0 {
						x.add(b, first+int32(k), key)
					}
				}
			}
		})
	}
	wg.Wait()
}

// reserve makes the chain array n long at least, new links -1.
func (x *Index) reserve(n int) {
	if n <= len(x.next) {
		return
	}
	next := slices.Grow(x.next, n-len(x.next))
	for len(next) < n {
		next = append(next, -1)
	}
	x.next = next
}

// add indexes id under key k in band b. The chain array must hold id's row.
func (x *Index) add(b int, id int32, k uint32) {
	link := &x.next[int(id)*len(x.bands)+b]
	t := &x.bands[b]
	s := t.slot(k)
	if t.slots[s].key == k {
		*link = t.slots[s].head
		t.slots[s].head = id
		return
	}
	t.slots[s] = bucket{key: k, head: id}
	*link = -1
	if t.used++; t.used*4 > len(t.slots)*3 {
		t.grow()
	}
}

// Query calls fn for every id that shares a band with sig, once per shared
// band (callers deduplicate), newest first within a band. It runs in
// O(bands + matches).
func (x *Index) Query(sig []uint64, fn func(id int32)) {
	var buf [64]uint32
	x.QueryKeys(x.Keys(sig, buf[:0]), fn)
}

// QueryKeys is Query given the signature's Keys.
func (x *Index) QueryKeys(keys []uint32, fn func(id int32)) {
	nb := len(x.bands)
	for b := range x.bands {
		t := &x.bands[b]
		k := keys[b]
		s := t.slot(k)
		if t.slots[s].key != k {
			continue
		}
		for id := t.slots[s].head; id >= 0; id = x.next[int(id)*nb+b] {
			fn(id)
		}
	}
}

// Anchors is an inverted index from winnowed shingle hashes to the articles
// that hold them. An anchor held by more than MaxPosting articles is
// boilerplate (a standard sign-off, a legal notice) and stops being indexed or
// returned. Anchors are sharded by hash so that AddMany can build the shards
// in parallel. The zero value is not usable; call NewAnchors.
//
// Like Index, it is flat: per shard an open-addressing table from anchor to
// its newest posting and its posting count, and the postings (article id,
// previous posting of the anchor) in two arrays. A posting costs 8 bytes,
// an anchor about 24; nothing in it holds a pointer for the garbage
// collector to follow. Anchors 0 and 1 are one anchor.
type Anchors struct {
	MaxPosting int
	shards     [anchorShards]anchorShard
}

const anchorShards = 16

type anchorShard struct {
	keys   []uint64 // 0: empty slot
	heads  []int32  // newest posting of the anchor
	counts []int32  // postings of the anchor; -1 once it is boilerplate
	used   int
	ids    []int32 // posting → article id
	prev   []int32 // posting → previous posting of the same anchor, or -1
}

// NewAnchors returns an empty anchor index.
func NewAnchors(maxPosting int) *Anchors {
	x := &Anchors{MaxPosting: maxPosting}
	for i := range x.shards {
		x.shards[i].alloc(8)
	}
	return x
}

func shardOf(a uint64) int { return int(a >> 60) }

// Add indexes the anchors of id.
func (x *Anchors) Add(id int32, anchors []uint64) {
	for _, a := range anchors {
		x.shards[shardOf(a)].add(id, a, x.MaxPosting)
	}
}

// AddMany indexes anchors[k] under id first+k, with the shards shared out
// among workers goroutines; the result is Add's, in order.
func (x *Anchors) AddMany(first int32, anchors [][]uint64, workers int) {
	var wg sync.WaitGroup
	for w := range max(1, workers) {
		wg.Go(func() {
			for k, as := range anchors {
				for _, a := range as {
					if s := shardOf(a); s%max(1, workers) == w {
						x.shards[s].add(first+int32(k), a, x.MaxPosting)
					}
				}
			}
		})
	}
	wg.Wait()
}

func (s *anchorShard) alloc(logSize uint8) {
	s.keys = make([]uint64, 1<<logSize)
	s.heads = make([]int32, 1<<logSize)
	s.counts = make([]int32, 1<<logSize)
}

// slot returns the slot of a (≠ 0): where it is, or the empty slot where it goes.
func (s *anchorShard) slot(a uint64) int {
	mask := len(s.keys) - 1
	i := int(textnorm.Mix(a)) & mask
	for s.keys[i] != 0 && s.keys[i] != a {
		i = (i + 1) & mask
	}
	return i
}

func (s *anchorShard) grow() {
	keys, heads, counts := s.keys, s.heads, s.counts
	logSize := uint8(1)
	for 1<<logSize < 2*len(keys) {
		logSize++
	}
	s.alloc(logSize)
	for i, a := range keys {
		if a != 0 {
			j := s.slot(a)
			s.keys[j], s.heads[j], s.counts[j] = a, heads[i], counts[i]
		}
	}
}

func (s *anchorShard) add(id int32, a uint64, maxPosting int) {
	a = max(a, 1)
	i := s.slot(a)
	if s.keys[i] == 0 {
		s.keys[i], s.heads[i], s.counts[i] = a, -1, 0
		if s.used++; s.used*4 > len(s.keys)*3 {
			s.grow()
			i = s.slot(a)
		}
	}
	switch {
	case s.counts[i] < 0:
		return
	case int(s.counts[i]) >= maxPosting:
		s.counts[i], s.heads[i] = -1, -1 // its postings stay, unreachable
		return
	}
	s.ids = append(s.ids, id)
	s.prev = append(s.prev, s.heads[i])
	s.heads[i] = int32(len(s.ids) - 1)
	s.counts[i]++
}

// Query calls fn for every id sharing an anchor with anchors, once per
// shared anchor, newest first.
func (x *Anchors) Query(anchors []uint64, fn func(id int32)) {
	for _, a := range anchors {
		s := &x.shards[shardOf(a)]
		i := s.slot(max(a, 1))
		if s.keys[i] == 0 {
			continue
		}
		for p := s.heads[i]; p >= 0; p = s.prev[p] {
			fn(s.ids[p])
		}
	}
}
