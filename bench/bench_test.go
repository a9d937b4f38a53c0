package bench

import (
	"os"
	"testing"

	"github.com/newsdedup/newsdedup/eval"
)

func TestGenerateAndRun(t *testing.T) {
	dir := "../../shared/eval/throughput/reuters21578"
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("Reuters corpus absent (%v)", err)
	}
	seeds, err := eval.Reuters(dir)
	if err != nil {
		t.Fatal(err)
	}
	a, b := Generate(seeds, 300, 7), Generate(seeds, 300, 7)
	if len(a) != 300 || a[10].Article.Text() != b[10].Article.Text() || a[10].Family != b[10].Family {
		t.Fatalf("generator is not deterministic or short: %d", len(a))
	}
	fams := map[int]int{}
	for _, it := range a {
		fams[it.Family]++
	}
	if len(fams) >= 300 || len(fams) < 100 {
		t.Errorf("%d families in 300 articles: copies missing or everything copied", len(fams))
	}
	rep := Run(seeds, 2000, Options{Probes: 20, Seed: 7, Peer: true})
	if rep.Articles != 2000 || rep.Ours.Recall < 0.9 || rep.Peer.Recall <= 0 || rep.Ours.ArticlesPerSec <= 0 || rep.Peer.ArticlesPerSec <= 0 {
		t.Errorf("report=%+v", rep)
	}
	t.Logf("%+v", rep)
}
