package pipeline

import (
	"sync"

	"github.com/newsdedup/newsdedup"
	"github.com/newsdedup/newsdedup/fingerprint"
)

// A coldCache keeps the texts (body and shingle set) of the cold articles
// read last from the store for copy detection, up to a number of bytes: an
// article that is a candidate of many arrivals (its copies, a text whose
// boilerplate many share) is then read and decoded once, not once for
// each. It keeps two generations: a read finds an article in either and
// moves it to the current one; when the current one holds half the
// bytes, it becomes the previous one and the previous one is dropped, so
// that an article read once leaves within two generations and one read
// again stays. What it returns is shared: callers must not change it. It
// is safe for concurrent use.
type coldCache struct {
	mu        sync.Mutex
	half      int // the bytes a generation holds at most
	size      int // the bytes cur holds
	cur, prev map[int32]coldText
}

// A coldText is an article and its print, read from the store.
type coldText struct {
	a    *newsdedup.Article
	pr   *fingerprint.Print
	size int
}

// newColdCache returns a cache of max bytes, or nil for max <= 0: a nil
// cache keeps nothing.
func newColdCache(max int) *coldCache {
	if max <= 0 {
		return nil
	}
	return &coldCache{half: max / 2, cur: make(map[int32]coldText)}
}

// get returns article id, if c keeps it.
func (c *coldCache) get(id int32) (*newsdedup.Article, *fingerprint.Print, bool) {
	if c == nil {
		return nil, nil, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if t, ok := c.cur[id]; ok {
		return t.a, t.pr, true
	}
	t, ok := c.prev[id]
	if !ok {
		return nil, nil, false
	}
	delete(c.prev, id)
	c.keep(id, t)
	return t.a, t.pr, true
}

// put keeps article id, read from the store, with print pr.
func (c *coldCache) put(id int32, a *newsdedup.Article, pr *fingerprint.Print) {
	if c == nil {
		return
	}
	size := 128 + len(a.ID) + len(a.Input) + len(a.URL) + len(a.Source) + len(a.Title) + 8*len(pr.Shingles)
	for _, p := range a.Body {
		size += 16 + len(p)
	}
	for _, s := range a.Credits {
		size += 16 + len(s)
	}
	if size > c.half {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.cur[id]; ok { // read meanwhile by another worker
		return
	}
	delete(c.prev, id)
	c.keep(id, coldText{a: a, pr: pr, size: size})
}

// keep adds t to the current generation, which becomes the previous one
// when full. The caller holds mu.
func (c *coldCache) keep(id int32, t coldText) {
	if c.size+t.size > c.half {
		c.prev, c.cur, c.size = c.cur, make(map[int32]coldText, len(c.cur)), 0
	}
	c.cur[id] = t
	c.size += t.size
}
