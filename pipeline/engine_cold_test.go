package pipeline

import (
	"testing"

	"github.com/newsdedup/newsdedup"
	"github.com/newsdedup/newsdedup/fingerprint"
)

// The cold cache keeps what it was given, within its bytes: an article
// read again stays over a generation, one read once leaves within two, and
// one too big for a generation is not kept.
func TestColdCache(t *testing.T) {
	text := func(words int) (*newsdedup.Article, *fingerprint.Print) {
		return &newsdedup.Article{ID: "a"}, &fingerprint.Print{Shingles: make([]uint64, words)}
	}
	// Each text takes 128+1+8×100 = 929 bytes: two fit in a generation of
	// 2,000 bytes, not three.
	c := newColdCache(4000)
	for id := range int32(3) {
		a, pr := text(100)
		c.put(id, a, pr)
	}
	// cur holds 2, prev 0 and 1.
	if _, _, ok := c.get(0); !ok {
		t.Fatalf("article 0 left after 3 puts")
	}
	// 0 moved to cur, now full (2, 0); 3 starts a generation: prev is
	// (2, 0), and 1, read once, is gone.
	a, pr := text(100)
	c.put(3, a, pr)
	for id, want := range []bool{true, false, true, true} {
		got, gotPr, ok := c.get(int32(id))
		if ok != want {
			t.Errorf("get(%d) found %v, want %v", id, ok, want)
		}
		if ok && (got.ID != "a" || len(gotPr.Shingles) != 100) {
			t.Errorf("get(%d) = %v, %d shingles", id, got, len(gotPr.Shingles))
		}
	}
	big, bigPr := text(1000)
	c.put(9, big, bigPr)
	if _, _, ok := c.get(9); ok {
		t.Errorf("a text bigger than a generation was kept")
	}
	var none *coldCache
	none.put(1, a, pr)
	if _, _, ok := none.get(1); ok {
		t.Errorf("a nil cache kept a text")
	}
	if newColdCache(0) != nil {
		t.Errorf("newColdCache(0) is not nil")
	}
}
