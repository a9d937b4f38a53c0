package redislsh_test

import (
	"context"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/newsdedup/newsdedup"
	"github.com/newsdedup/newsdedup/lsh"
	"github.com/newsdedup/newsdedup/lsh/redislsh"
	"github.com/newsdedup/newsdedup/lsh/redislsh/redistest"
)

// TestSameCandidates: the index in Redis finds the candidates the
// in-memory index finds, over signatures with planted near copies; the
// anchors find the articles in-memory anchors find, boilerplate excepted;
// a node restarted keeps its part (append-only file) and queries go on.
func TestSameCandidates(t *testing.T) {
	ctx := context.Background()
	cl := redistest.Start(t)
	x, err := redislsh.Open(ctx, cl.URL(), redislsh.Options{MaxPosting: 3, Namespace: "test"})
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	p := newsdedup.DefaultParams
	mem := lsh.New(p)
	anchors := lsh.NewAnchors(3)
	r := rand.New(rand.NewPCG(1, 2))
	const n = 400
	sigs := make([][]uint64, n)
	var items []newsdedup.IndexEntry
	for i := range sigs {
		sig := make([]uint64, p.NumHash())
		if i > 0 && i%4 == 0 {
			copy(sig, sigs[i-1]) // a near copy: half its slots kept
			for k := range sig {
				if r.IntN(2) == 0 {
					sig[k] = r.Uint64()
				}
			}
		} else {
			for k := range sig {
				sig[k] = r.Uint64()
			}
		}
		sigs[i] = sig
		anch := []uint64{uint64(1000 + i), uint64(5000 + i/2)} // each shared with a neighbour
		if i < 5 {
			anch = append(anch, 42) // boilerplate: in 5 articles, over MaxPosting
		}
		mem.Add(int32(i), sig)
		anchors.Add(int32(i), anch)
		items = append(items, newsdedup.IndexEntry{Seq: uint64(i + 1), Keys: mem.Keys(sig, nil), Anchors: anch})
	}
	if err := x.Add(ctx, items); err != nil {
		t.Fatal(err)
	}
	check := func(when string) {
		var qs []newsdedup.IndexQuery
		for _, it := range items {
			qs = append(qs, newsdedup.IndexQuery{Keys: it.Keys, Anchors: it.Anchors})
		}
		res, err := x.Query(ctx, qs)
		if err != nil {
			t.Fatalf("%s: %v", when, err)
		}
		found := 0
		for i, sig := range sigs {
			want := map[uint64]int{}
			mem.Query(sig, func(id int32) { want[uint64(id)+1]++ })
			if !mapsEqual(res[i].Bands, want) {
				t.Fatalf("%s: article %d: bands %v in Redis, %v in memory", when, i, res[i].Bands, want)
			}
			if len(want) > 1 {
				found++
			}
			var wantA []uint64
			anchors.Query(items[i].Anchors, func(id int32) {
				if !slices.Contains(wantA, uint64(id)+1) {
					wantA = append(wantA, uint64(id)+1)
				}
			})
			var gotA []uint64
			for id := range res[i].Anchors {
				gotA = append(gotA, id)
			}
			slices.Sort(gotA)
			slices.Sort(wantA)
			if !slices.Equal(gotA, wantA) {
				t.Fatalf("%s: article %d: anchors %v in Redis, %v in memory", when, i, gotA, wantA)
			}
		}
		if found < n/5 {
			t.Fatalf("%s: only %d articles with a candidate besides themselves: the test shows nothing", when, found)
		}
	}
	check("before")
	cl.Restart(1)
	check("after a node restarted")
	if keys, err := x.Counts(ctx); err != nil || keys == 0 {
		t.Errorf("Counts = %d, %v", keys, err)
	}
	// Another store's index in the same cluster sees none of this one's.
	other, err := redislsh.Open(ctx, cl.URL(), redislsh.Options{MaxPosting: 3, Namespace: "other"})
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	res, err := other.Query(ctx, []newsdedup.IndexQuery{{Keys: items[4].Keys, Anchors: items[4].Anchors}})
	if err != nil || len(res[0].Bands)+len(res[0].Anchors) != 0 {
		t.Errorf("another namespace found %+v, %v", res, err)
	}
	if _, err := redislsh.Open(ctx, cl.URL(), redislsh.Options{}); err == nil {
		t.Errorf("an index without a namespace opened")
	}
	if n, err := x.Indexed(ctx); n != 0 || err != nil {
		t.Errorf("Indexed of a new index = %d, %v", n, err)
	}
	if err := x.SetIndexed(ctx, 400); err != nil {
		t.Fatal(err)
	}
	if n, err := x.Indexed(ctx); n != 400 || err != nil {
		t.Errorf("Indexed = %d, %v; want 400", n, err)
	}
}

func mapsEqual(a, b map[uint64]int) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

func TestRedacted(t *testing.T) {
	if got := redislsh.Redacted("redis://u:secret@127.0.0.1:7000,127.0.0.1:7001"); strings.Contains(got, "secret") {
		t.Errorf("Redacted = %s", got)
	}
}
