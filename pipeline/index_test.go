package pipeline_test

import (
	"context"
	"slices"
	"testing"

	"github.com/newsdedup/newsdedup"
	"github.com/newsdedup/newsdedup/lsh/redislsh"
	"github.com/newsdedup/newsdedup/lsh/redislsh/redistest"
	"github.com/newsdedup/newsdedup/pipeline"
)

// TestSharedIndex: an engine whose candidate index is in a Redis Cluster
// places generated copies as one with its index in memory; reopened with
// an empty index (a new cluster), it fills it from the store and goes on
// placing as before.
func TestSharedIndex(t *testing.T) {
	ctx := context.Background()
	open := func(c *redistest.Cluster) newsdedup.CandidateIndex {
		idx, err := redislsh.Open(ctx, c.URL(), redislsh.Options{MaxPosting: pipeline.DefaultConfig().MaxAnchorPosting, Namespace: "store1"})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { idx.Close() })
		return idx
	}
	idx := open(redistest.Start(t))
	arts := generated(t, 9)
	mem := pipeline.DefaultConfig()
	shared := pipeline.DefaultConfig()
	shared.Index = idx
	s1, e1 := openEngine(t, t.TempDir(), mem)
	defer s1.Close()
	dir := t.TempDir()
	s2, e2 := openEngine(t, dir, shared)
	if a, b := addAll(t, e1, arts[:400]), addAll(t, e2, arts[:400]); !slices.Equal(a, b) {
		t.Fatalf("placements differ with the index in Redis")
	}
	fams := 0
	for _, f := range e2.Families() {
		if len(f.Members) > 1 {
			fams++
		}
	}
	if fams < 30 || shape(e1) != shape(e2) {
		t.Fatalf("%d families of copies; shapes equal: %v", fams, shape(e1) == shape(e2))
	}
	if n, err := idx.Indexed(ctx); n != 400 || err != nil {
		t.Errorf("Indexed = %d, %v; want 400", n, err)
	}
	s2.Close()
	shared.Index = open(redistest.Start(t))
	s2, e2 = openEngine(t, dir, shared)
	defer s2.Close()
	if a, b := addAll(t, e1, arts[400:]), addAll(t, e2, arts[400:]); !slices.Equal(a, b) {
		t.Fatalf("placements differ after the index was rebuilt from the store")
	}
	if n, err := shared.Index.Indexed(ctx); n != 600 || err != nil {
		t.Errorf("Indexed = %d, %v; want 600", n, err)
	}
}
