package pipeline_test

import (
	"context"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/newsdedup/newsdedup"
	"github.com/newsdedup/newsdedup/bench"
	"github.com/newsdedup/newsdedup/eval"
	"github.com/newsdedup/newsdedup/pipeline"
)

const reutersDir = "../../shared/eval/throughput/reuters21578"

// reutersArticles returns the Reuters corpus, or skips t where ../shared is absent
// (fails it under CI).
func reutersArticles(t *testing.T) []*newsdedup.Article {
	t.Helper()
	if _, err := os.Stat(reutersDir); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("Reuters corpus absent under CI: %v", err)
		}
		t.Skipf("Reuters corpus absent (%v): needs ../shared beside the repository", err)
	}
	arts, err := eval.Reuters(reutersDir)
	if err != nil {
		t.Fatal(err)
	}
	return arts
}

// shape renders an engine's families and stories as sorted member lists.
func shape(e *pipeline.Engine) string {
	var fams, stories []string
	for _, f := range e.Families() {
		fams = append(fams, string(f.Original)+":"+strings.Join(newsdedup.IDStrings(f.Members), ","))
	}
	for _, st := range e.Stories(time.Time{}) {
		stories = append(stories, st.ID+":"+strings.Join(newsdedup.IDStrings(st.Members), ","))
	}
	slices.Sort(fams)
	slices.Sort(stories)
	return strings.Join(fams, " ") + "\n" + strings.Join(stories, " ")
}

func addAll(t *testing.T, e *pipeline.Engine, arts []*newsdedup.Article) []string {
	t.Helper()
	var out []string
	for start := 0; start < len(arts); start += 100 {
		pls, err := e.Add(context.Background(), arts[start:min(start+100, len(arts))])
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range pls {
			out = append(out, p.Family.ID+" "+p.Story.ID)
		}
	}
	return out
}

// TestSnapshot opens a store from its snapshot and the records after it,
// and checks that the engine is the one replaying every record makes: the
// same families and stories, and the same placements of what comes next.
// A snapshot that does not match the store's records is not used.
func TestSnapshot(t *testing.T) {
	arts := reutersArticles(t)[:800]
	ctx := context.Background()
	cfg := pipeline.DefaultConfig()

	snapDir, replayDir := t.TempDir(), t.TempDir()
	s, e := openEngine(t, snapDir, cfg)
	addAll(t, e, arts[:500])
	if ok, err := e.SaveSnapshot(ctx, 0); !ok || err != nil {
		t.Fatalf("SaveSnapshot: %v, %v", ok, err)
	}
	if ok, _ := e.SaveSnapshot(ctx, pipeline.SnapshotEvery); ok {
		t.Errorf("a snapshot saved with no article stored since the last")
	}
	addAll(t, e, arts[500:650])
	s.Close()
	s, e = openEngine(t, replayDir, cfg)
	addAll(t, e, arts[:650])
	s.Close()

	s1, fromSnap := openEngine(t, snapDir, cfg)
	defer s1.Close()
	s2, replayed := openEngine(t, replayDir, cfg)
	defer s2.Close()
	if fromSnap.SnapshotSeq() != 500 || replayed.SnapshotSeq() != 0 {
		t.Fatalf("snapshots opened from: %d and %d, want 500 and none", fromSnap.SnapshotSeq(), replayed.SnapshotSeq())
	}
	if a, b := shape(fromSnap), shape(replayed); a != b {
		t.Fatalf("opened from a snapshot, the engine differs from a replay")
	}
	if fromSnap.Stats() != replayed.Stats() {
		t.Errorf("stats %+v from a snapshot, %+v replayed", fromSnap.Stats(), replayed.Stats())
	}
	if a, b := addAll(t, fromSnap, arts[650:]), addAll(t, replayed, arts[650:]); !slices.Equal(a, b) {
		t.Errorf("the next articles are placed otherwise after a snapshot")
	}

	// The snapshot in a store of other records (the same articles in
	// another order) is not used.
	otherDir := t.TempDir()
	s3, e3 := openEngine(t, otherDir, cfg)
	rev := slices.Clone(arts[:650])
	slices.Reverse(rev)
	addAll(t, e3, rev)
	want := shape(e3)
	_, raw, err := s1.Snapshot(ctx)
	if err != nil || raw == nil {
		t.Fatalf("Snapshot: %v", err)
	}
	if err := s3.PutSnapshot(ctx, 500, raw); err != nil {
		t.Fatal(err)
	}
	s3.Close()
	s3, e3 = openEngine(t, otherDir, cfg)
	defer s3.Close()
	if e3.SnapshotSeq() != 0 || shape(e3) != want {
		t.Errorf("a snapshot of other records was used (seq %d) or the replay differs", e3.SnapshotSeq())
	}
}

// TestColdArticles: an engine that keeps only the 50 newest articles whole
// (the others' bodies and shingle sets read from the store when compared,
// or from the cache of those read last, whatever its size) places
// generated copies, spread far apart, exactly as one that keeps every
// article whole; and reads cold articles whole for pages and diffs.
func TestColdArticles(t *testing.T) {
	arts := generated(t, 5)
	ctx := context.Background()
	whole := pipeline.DefaultConfig()
	whole.Resident = 0
	cold := pipeline.DefaultConfig()
	cold.Resident = 50
	s1, e1 := openEngine(t, t.TempDir(), whole)
	defer s1.Close()
	want := addAll(t, e1, arts)
	for _, cache := range []int{0, 16 << 10} {
		cfg := cold
		cfg.ColdCache = cache
		s, e := openEngine(t, t.TempDir(), cfg)
		if got := addAll(t, e, arts); !slices.Equal(got, want) || shape(e) != shape(e1) {
			t.Fatalf("placements, families or stories differ with cold articles and a cache of %d bytes", cache)
		}
		s.Close()
	}
	dir := t.TempDir()
	s2, e2 := openEngine(t, dir, cold)
	if got := addAll(t, e2, arts); !slices.Equal(want, got) {
		t.Fatalf("placements differ with cold articles")
	}
	if shape(e1) != shape(e2) {
		t.Fatalf("families or stories differ with cold articles")
	}
	fams := 0
	for _, f := range e2.Families() {
		if len(f.Members) > 1 {
			fams++
		}
	}
	if fams < 50 {
		t.Fatalf("%d families of copies: the test shows nothing", fams)
	}
	s2.Close()
	s2, e2 = openEngine(t, dir, cold)
	defer s2.Close()
	first := arts[0]
	got, ok := e2.Article(first.ID)
	if !ok || !slices.Equal(got.Body, first.Body) {
		t.Errorf("cold article %s read back as %v, %v", first.ID, ok, got)
	}
	for _, f := range e2.Families() {
		if len(f.Members) < 2 {
			continue
		}
		r, isCopy, err := e2.Compare(ctx, f.Members[0], f.Members[1])
		if err != nil || r.Jaccard == 0 {
			t.Errorf("Compare(%s, %s) = %+v, %v, %v", f.Members[0], f.Members[1], r, isCopy, err)
		}
		break
	}
}

// generated returns 600 articles generated from 300 Reuters seeds with
// seed: republished copies among originals.
func generated(t *testing.T, seed uint64) []*newsdedup.Article {
	var arts []*newsdedup.Article
	for _, it := range bench.Generate(reutersArticles(t)[:300], 600, seed) {
		arts = append(arts, it.Article)
	}
	return arts
}

// TestSnapshotWithCopies: with copies among the articles (3,000 made from
// 1,500 Reuters bodies), a store reopened from its snapshot goes on as one
// that never closed. (That restored copies stay out of the stories' term
// index is TestStoriesSnapshotCopies's to show: on these articles it
// changes no placement.)
func TestSnapshotWithCopies(t *testing.T) {
	var arts []*newsdedup.Article
	for _, it := range bench.Generate(reutersArticles(t)[:1500], 3000, 7) {
		arts = append(arts, it.Article)
	}
	cfg := pipeline.DefaultConfig()
	whole, parts := t.TempDir(), t.TempDir()
	s, e := openEngine(t, whole, cfg)
	want := addAll(t, e, arts)
	wantShape := shape(e)
	s.Close()
	s, e = openEngine(t, parts, cfg)
	got := addAll(t, e, arts[:2000])
	if ok, err := e.SaveSnapshot(context.Background(), 0); !ok || err != nil {
		t.Fatalf("SaveSnapshot: %v, %v", ok, err)
	}
	s.Close()
	s, e = openEngine(t, parts, cfg)
	defer s.Close()
	if e.SnapshotSeq() != 2000 {
		t.Fatalf("opened from snapshot %d, want 2000", e.SnapshotSeq())
	}
	got = append(got, addAll(t, e, arts[2000:])...)
	if !slices.Equal(got, want) {
		t.Errorf("the articles after the snapshot are placed otherwise than in one go")
	}
	if shape(e) != wantShape {
		t.Errorf("families and stories differ from those of one go")
	}
}
