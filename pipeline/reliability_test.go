package pipeline_test

import (
	"context"
	"errors"
	"testing"

	"github.com/newsdedup/newsdedup"
	"github.com/newsdedup/newsdedup/pipeline"
)

// failingStore is a store whose Put fails while failPut is set, and whose
// Each fails while failEach is set (failure injection).
type failingStore struct {
	newsdedup.Store
	failPut, failEach bool
}

func (s *failingStore) Put(ctx context.Context, recs []*newsdedup.Record, rels []newsdedup.Relation) error {
	if s.failPut {
		return errors.New("disk full")
	}
	return s.Store.Put(ctx, recs, rels)
}

func (s *failingStore) Each(ctx context.Context, fn func(*newsdedup.Record) error) error {
	if s.failEach {
		return errors.New("read error")
	}
	return s.Store.Each(ctx, fn)
}

func text(id, body string) *newsdedup.Article {
	return &newsdedup.Article{ID: newsdedup.ArticleID(id), Title: "t " + id, Body: []string{body}}
}

const (
	bodyA = "The city council approved the new budget on Tuesday after a long debate about schools, roads and the bus lines that families depend on."
	bodyB = "A football match played in the rain on Sunday ended with the home side winning two to one before a crowd of twelve thousand."
)

func TestEngineRecoversFromFailedPut(t *testing.T) {
	cfg := pipeline.DefaultConfig()
	bs, _ := openEngine(t, t.TempDir(), cfg)
	defer bs.Close()
	fs := &failingStore{Store: bs}
	ctx := context.Background()
	e, err := pipeline.Open(ctx, cfg, fs)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.Add(ctx, []*newsdedup.Article{text("a", bodyA)}); err != nil {
		t.Fatal(err)
	}
	fs.failPut = true
	if _, err := e.Add(ctx, []*newsdedup.Article{text("b", bodyB)}); err == nil {
		t.Fatal("Add succeeded though the store refused the Put")
	}
	// Rebuilt from the store: b is not there, and the engine writes again.
	if _, ok := e.Article("b"); ok {
		t.Error("article b is in memory but not in the store")
	}
	if err := e.Health(); err != nil {
		t.Errorf("Health after a rebuild: %v", err)
	}
	fs.failPut = false
	pls, err := e.Add(ctx, []*newsdedup.Article{text("b", bodyB)})
	if err != nil || pls[0].Existing || pls[0].Err != nil {
		t.Fatalf("Add after recovery: %v %+v", err, pls)
	}
	if st := e.Stats(); st.Articles != 2 {
		t.Errorf("%d articles, want 2", st.Articles)
	}
	// A store that cannot be read back leaves the engine unhealthy.
	fs.failPut, fs.failEach = true, true
	if _, err := e.Add(ctx, []*newsdedup.Article{text("c", bodyA+" More.")}); err == nil {
		t.Fatal("Add succeeded though the store refused the Put")
	}
	if err := e.Health(); err == nil {
		t.Error("Health is nil though the engine could not rebuild")
	}
	fs.failPut, fs.failEach = false, false
	if _, err := e.Add(ctx, []*newsdedup.Article{text("c", bodyA+" More.")}); err != nil {
		t.Fatalf("Add once the store works again: %v", err)
	}
	if err := e.Health(); err != nil {
		t.Errorf("Health once the store works again: %v", err)
	}
}

func TestEngineCancelledClientStillStores(t *testing.T) {
	cfg := pipeline.DefaultConfig()
	bs, e := openEngine(t, t.TempDir(), cfg)
	defer bs.Close()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := e.Add(ctx, []*newsdedup.Article{text("a", bodyA)}); !errors.Is(err, context.Canceled) {
		t.Fatalf("Add with a cancelled context: %v, want context.Canceled before placing", err)
	}
	if err := e.Health(); err != nil {
		t.Errorf("Health: %v", err)
	}
	if _, err := e.Add(context.Background(), []*newsdedup.Article{text("a", bodyA)}); err != nil {
		t.Fatal(err)
	}
}

func TestEngineRefusesBadArticles(t *testing.T) {
	cfg := pipeline.DefaultConfig()
	bs, e := openEngine(t, t.TempDir(), cfg)
	defer bs.Close()
	ctx := context.Background()
	long := make([]byte, 40000)
	for i := range long {
		long[i] = 'x'
	}
	pls, err := e.Add(ctx, []*newsdedup.Article{text(string(long), bodyA), text("a/b", bodyA), text("ok", bodyA), text("ok", bodyB)})
	if err != nil {
		t.Fatal(err)
	}
	for k, want := range []string{newsdedup.EINVALID, newsdedup.EINVALID, "", newsdedup.ECONFLICT} {
		if got := newsdedup.ErrorCode(pls[k].Err); got != want {
			t.Errorf("article %d: error code %q (%v), want %q", k, got, pls[k].Err, want)
		}
	}
	if st := e.Stats(); st.Articles != 1 {
		t.Errorf("%d articles stored, want 1", st.Articles)
	}
	// Same id, same text: idempotent.
	pls, err = e.Add(ctx, []*newsdedup.Article{text("ok", bodyA)})
	if err != nil || !pls[0].Existing || pls[0].Err != nil {
		t.Errorf("re-adding the same article: %v %+v", err, pls[0])
	}
}

// Query on a stored article says where it is: never related to itself.
func TestQueryStoredArticle(t *testing.T) {
	cfg := pipeline.DefaultConfig()
	bs, e := openEngine(t, t.TempDir(), cfg)
	defer bs.Close()
	ctx := context.Background()
	if _, err := e.Add(ctx, []*newsdedup.Article{text("a", bodyA), text("b", bodyA+" And one more sentence about the budget vote.")}); err != nil {
		t.Fatal(err)
	}
	p, err := e.Query(ctx, text("a", bodyA))
	if err != nil {
		t.Fatal(err)
	}
	if !p.Existing || len(p.Family.Members) != 2 {
		t.Errorf("placement %+v, want the stored article in its family of 2", p)
	}
	for _, r := range p.Relations {
		if r.A == r.B {
			t.Errorf("relation of a to itself: %+v", r)
		}
	}
}
