package pipeline_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/newsdedup/newsdedup"
	"github.com/newsdedup/newsdedup/ingest"
	"github.com/newsdedup/newsdedup/pipeline"
	"github.com/newsdedup/newsdedup/store/bolt"
)

// groupsOf renders families as sorted lists of inputs' base names.
func familyGroups(fams []newsdedup.Family, name map[newsdedup.ArticleID]string) []string {
	var out []string
	for _, f := range fams {
		var m []string
		for _, id := range f.Members {
			m = append(m, name[id])
		}
		slices.Sort(m)
		out = append(out, filepath.Join(m...))
	}
	slices.Sort(out)
	return out
}

// openEngine opens the bolt store in dir and an engine over it; the caller
// closes the store.
func openEngine(t *testing.T, dir string, cfg pipeline.Config) (*bolt.Store, *pipeline.Engine) {
	t.Helper()
	s, err := bolt.Open(dir, cfg.Params)
	if err != nil {
		t.Fatal(err)
	}
	e, err := pipeline.Open(context.Background(), cfg, s)
	if err != nil {
		s.Close()
		t.Fatal(err)
	}
	return s, e
}

func TestEngineSeedsOneAtATime(t *testing.T) {
	seeds := "../../shared/fixtures/seeds"
	if _, err := os.Stat(seeds); err != nil {
		t.Skipf("seeds absent (%v)", err)
	}
	batch := ingest.Read([]string{seeds})
	name := make(map[newsdedup.ArticleID]string)
	for _, a := range batch.Articles {
		name[a.ID] = filepath.Base(a.Input)[:3]
	}
	ctx := context.Background()
	cfg := pipeline.DefaultConfig()
	dir := t.TempDir()
	s, e := openEngine(t, dir, cfg)
	for _, a := range batch.Articles {
		if _, err := e.Add(ctx, []*newsdedup.Article{a}); err != nil {
			t.Fatal(err)
		}
	}
	want := familyGroups(pipeline.Run(cfg, batch.Articles).Families, name)
	if got := familyGroups(e.Families(), name); !slices.Equal(got, want) {
		t.Errorf("families one at a time %v, batch %v", got, want)
	}
	if st := e.Stats(); st.Articles != 4 || st.Stories != 1 || st.Families != 2 {
		t.Errorf("stats=%+v, want 4 articles, 2 families, 1 story", st)
	}
	// Re-adding is idempotent.
	pl, err := e.Add(ctx, batch.Articles)
	if err != nil || !pl[0].Existing || e.Stats().Articles != 4 {
		t.Errorf("re-add: %v %+v", err, pl)
	}
	s.Close()

	// Reopen: the same families and stories, rebuilt from the store.
	s, e2 := openEngine(t, dir, cfg)
	defer s.Close()
	if got := familyGroups(e2.Families(), name); !slices.Equal(got, want) {
		t.Errorf("families after reopen %v, want %v", got, want)
	}
	if st := e2.Stats(); st.Articles != 4 || st.Stories != 1 || st.Families != 2 || st.Relations != e.Stats().Relations {
		t.Errorf("stats after reopen=%+v", st)
	}
	// A copy relation is stored without the evidence its decision did not
	// need; shown, it has it, the same as a batch run gives.
	byPair := make(map[[2]newsdedup.ArticleID]*newsdedup.Evidence)
	for _, r := range pipeline.Run(cfg, batch.Articles).Relations {
		byPair[[2]newsdedup.ArticleID{r.A, r.B}] = r.Evidence
	}
	shown := 0
	for _, a := range batch.Articles {
		p, err := e2.Placement(ctx, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range p.Relations {
			if !r.Kind.IsCopy() {
				continue
			}
			shown++
			if want, ok := byPair[[2]newsdedup.ArticleID{r.A, r.B}]; r.Evidence == nil || (ok && !reflect.DeepEqual(r.Evidence, want)) {
				t.Errorf("relation %s→%s shown with evidence %+v, want %+v", r.A, r.B, r.Evidence, want)
			}
		}
	}
	if shown == 0 {
		t.Error("no copy relation shown")
	}
	// Query places without storing.
	q, err := e2.Query(ctx, batch.Articles[2])
	if err != nil || len(q.Family.Members) != 3 || len(q.Story.Members) != 4 || e2.Stats().Articles != 4 {
		t.Errorf("query: %v %+v", err, q)
	}
}

// pseudo returns n made-up lowercase words starting with prefix.
func pseudo(prefix string, n int) []string {
	var out []string
	for i := range n {
		out = append(out, prefix+string(rune('a'+i/26))+string(rune('a'+i%26)))
	}
	return out
}

func article(id string, words ...[]string) *newsdedup.Article {
	var all []string
	for _, w := range words {
		all = append(all, w...)
	}
	return &newsdedup.Article{ID: newsdedup.ArticleID(id), Body: []string{strings.Join(all, " ") + "."}}
}

// Revision moves an earlier article to a story founded after it: the engine
// reports it there, with a same_story relation to its new story and none to
// its old one, and a reopened store places it there too, as a batch run
// does.
func TestEngineRevision(t *testing.T) {
	var arts []*newsdedup.Article
	for i := range 20 {
		arts = append(arts, article(fmt.Sprint("filler", i), pseudo(fmt.Sprint("filler", string(rune('a'+i))), 20)))
	}
	arts = append(arts,
		article("a", pseudo("shared", 6), pseudo("alpha", 14)),
		article("b", pseudo("shared", 6), pseudo("bothbc", 7), pseudo("beta", 7)),
		article("c", pseudo("bothbc", 7), pseudo("gamma", 13)))
	ctx := context.Background()
	cfg := pipeline.DefaultConfig()
	dir := t.TempDir()
	s, e := openEngine(t, dir, cfg)
	var b0 newsdedup.Story
	for _, a := range arts {
		out, err := e.Add(ctx, []*newsdedup.Article{a})
		if err != nil {
			t.Fatal(err)
		}
		if a.ID == "b" {
			b0 = out[0].Story
		}
	}
	if !slices.Contains(b0.Members, "a") {
		t.Fatalf("b placed in %v, want a's story (the test shows nothing otherwise)", b0.Members)
	}
	pb, err := e.Placement(ctx, "b")
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(pb.Story.Members, []newsdedup.ArticleID{"b", "c"}) {
		t.Fatalf("b is in story %v, want [b c]", pb.Story.Members)
	}
	var same []newsdedup.Relation
	for _, r := range pb.Relations {
		if r.Kind == newsdedup.KindSameStory {
			same = append(same, r)
		}
	}
	if len(same) != 1 || same[0].A != "b" || same[0].B != "c" {
		t.Errorf("b's same_story relations %+v, want only b-c", same)
	}
	stories := func(e *pipeline.Engine) []string {
		var out []string
		for _, st := range e.Stories(time.Time{}) {
			out = append(out, st.ID+":"+strings.Join(newsdedup.IDStrings(st.Members), ","))
		}
		slices.Sort(out)
		return out
	}
	want := stories(e)
	if n := e.Stats().Stories; n != len(want) {
		t.Errorf("stats count %d stories, listed %d", n, len(want))
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s, e = openEngine(t, dir, cfg)
	defer s.Close()
	if got := stories(e); !slices.Equal(got, want) {
		t.Errorf("reopened: stories %v, want %v", got, want)
	}
	// All in one Add: what it reports of b is where b ends up.
	s2, e2 := openEngine(t, t.TempDir(), cfg)
	defer s2.Close()
	out, err := e2.Add(ctx, arts)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range out {
		if p.ID != "b" {
			continue
		}
		if !slices.Equal(p.Story.Members, []newsdedup.ArticleID{"b", "c"}) {
			t.Errorf("one Add: b reported in story %v, want [b c]", p.Story.Members)
		}
		for _, r := range p.Relations {
			if r.Kind == newsdedup.KindSameStory && (r.A == "a" || r.B == "a") {
				t.Errorf("one Add: b reported with %+v, which no longer holds", r)
			}
		}
	}
	var batch []string
	for _, st := range pipeline.Run(cfg, arts).Stories {
		batch = append(batch, st.ID+":"+strings.Join(newsdedup.IDStrings(st.Members), ","))
	}
	slices.Sort(batch)
	if !slices.Equal(batch, want) {
		t.Errorf("batch stories %v, engine %v", batch, want)
	}
}
