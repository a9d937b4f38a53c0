package pipeline_test

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"newsdedup"
	"newsdedup/ingest"
	"newsdedup/pipeline"
	"newsdedup/store/bolt"
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
	s, err := bolt.Open(dir, cfg.Params)
	if err != nil {
		t.Fatal(err)
	}
	e, err := pipeline.Open(ctx, cfg, s)
	if err != nil {
		t.Fatal(err)
	}
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
	s, err = bolt.Open(dir, cfg.Params)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	e2, err := pipeline.Open(ctx, cfg, s)
	if err != nil {
		t.Fatal(err)
	}
	if got := familyGroups(e2.Families(), name); !slices.Equal(got, want) {
		t.Errorf("families after reopen %v, want %v", got, want)
	}
	if st := e2.Stats(); st.Articles != 4 || st.Stories != 1 || st.Families != 2 || st.Relations != e.Stats().Relations {
		t.Errorf("stats after reopen=%+v", st)
	}
	// Query places without storing.
	q, err := e2.Query(ctx, batch.Articles[2])
	if err != nil || len(q.Family.Members) != 3 || len(q.Story.Members) != 4 || e2.Stats().Articles != 4 {
		t.Errorf("query: %v %+v", err, q)
	}
}
