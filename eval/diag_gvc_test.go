package eval

import (
	"fmt"
	"math"
	"os"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/newsdedup/newsdedup"
	"github.com/newsdedup/newsdedup/cluster"
	"github.com/newsdedup/newsdedup/pipeline"
)

// TestDiagGVC classifies GVC's missed gold pairs by cause (DIAG=1;
// NODATES=1 drops the dates; FADENAMES sets StoryConfig.FadeNames;
// SAMPLES=FILE writes every missed pair with its cause, titles and texts).
func TestDiagGVC(t *testing.T) {
	if os.Getenv("DIAG") == "" {
		t.Skip("DIAG not set")
	}
	ds, err := Load("../../shared/eval", "gvc", "all")
	if err != nil {
		t.Fatal(err)
	}
	if os.Getenv("NODATES") != "" {
		ds.DropDates()
	}
	cfg := pipeline.DefaultConfig()
	if v := os.Getenv("FADENAMES"); v != "" {
		fmt.Sscan(v, &cfg.Story.FadeNames)
	}
	arts := make([]*newsdedup.Article, len(ds.Items))
	for i, it := range ds.Items {
		arts[i] = it.Article
	}
	res := pipeline.Run(cfg, arts)
	pred := map[newsdedup.ArticleID]int{}
	for i, s := range res.Stories {
		for _, m := range s.Members {
			pred[m] = i
		}
	}
	famSize := map[newsdedup.ArticleID]int{}
	for _, f := range res.Families {
		for _, m := range f.Members {
			famSize[m] = len(f.Members)
		}
	}
	n := len(ds.Items)
	feats := make([]cluster.Features, n)
	df := map[string]int{}
	for i, a := range arts {
		feats[i] = cluster.Featurize(cfg.Story.Features, a.Title, a.Body)
		for term := range feats[i].Terms {
			df[term]++
		}
	}
	vecs := make([]map[string]float64, n)
	for i := range feats {
		v := map[string]float64{}
		var nn float64
		for term, w := range feats[i].Terms {
			x := w * (math.Log(float64(n+1)/float64(df[term]+1)) + 1)
			v[term] = x
			nn += x * x
		}
		for term := range v {
			v[term] /= math.Sqrt(nn)
		}
		vecs[i] = v
	}
	cos := func(i, j int) float64 {
		var s float64
		for term, w := range vecs[i] {
			s += w * vecs[j][term]
		}
		return s
	}
	// texts shared across incidents
	textInc := map[string]map[string]bool{}
	body := func(i int) string { return strings.Join(arts[i].Body, "\n") }
	for i, it := range ds.Items {
		b := body(i)
		if textInc[b] == nil {
			textInc[b] = map[string]bool{}
		}
		for _, l := range it.Story {
			textInc[b][l] = true
		}
	}
	times := func(i int) []time.Time {
		var ts []time.Time
		pub := arts[i].Published
		if !pub.IsZero() {
			ts = append(ts, pub)
		}
		for _, m := range feats[i].Dates {
			if tt, ok := m.Resolve(pub); ok {
				ts = append(ts, tt)
			}
		}
		return ts
	}
	gap := func(i, j int) (time.Duration, bool) {
		ti, tj := times(i), times(j)
		if len(ti) == 0 || len(tj) == 0 {
			return 0, false
		}
		best := time.Duration(math.MaxInt64)
		for _, a := range ti {
			for _, b := range tj {
				d := a.Sub(b)
				if d < 0 {
					d = -d
				}
				best = min(best, d)
			}
		}
		return best, true
	}
	pubgap := func(i, j int) time.Duration {
		a, b := arts[i].Published, arts[j].Published
		if a.IsZero() || b.IsZero() {
			return 0
		}
		d := a.Sub(b)
		if d < 0 {
			d = -d
		}
		return d
	}
	byInc := map[string][]int{}
	for i, it := range ds.Items {
		for _, l := range it.Story {
			byInc[l] = append(byInc[l], i)
		}
	}
	cause := map[string]int{}
	artCause := map[string]map[int]bool{}
	total, missed := 0, 0
	var samples []string
	win := cfg.Story.Window
	for _, ms := range byInc {
		for x := 0; x < len(ms); x++ {
			for y := x + 1; y < len(ms); y++ {
				i, j := ms[x], ms[y]
				total++
				if pred[arts[i].ID] == pred[arts[j].ID] {
					continue
				}
				missed++
				ci, cj := feats[i].Content, feats[j].Content
				var c string
				g, ok := gap(i, j)
				switch {
				case len(textInc[body(i)]) > 1 || len(textInc[body(j)]) > 1:
					c = "1 shared-noise text (same body in >1 incident)"
				case ci < cfg.Story.MinContent || cj < cfg.Story.MinContent:
					c = "2 stub (< MinContent)"
				case ok && g > win && pubgap(i, j) > win:
					c = "3 beyond window (pub and mentioned dates)"
				case ok && pubgap(i, j) > win:
					c = "3b pub beyond window, mentioned date within"
				case cos(i, j) < 0.1:
					c = "4 low cosine <0.1 (noise body / other angle)"
				case cos(i, j) < cfg.Story.Threshold:
					c = "5 cosine 0.1-0.2"
				default:
					c = "6 similar, within window, split"
				}
				cause[c]++
				if artCause[c] == nil {
					artCause[c] = map[int]bool{}
				}
				artCause[c][i], artCause[c][j] = true, true
				if len(samples) < 4000 {
					samples = append(samples, fmt.Sprintf("%s | cos %.2f gap %v pubgap %v | c %d/%d fam %d/%d | %q || %q | %q || %q", c, cos(i, j), g.Round(time.Hour), pubgap(i, j).Round(time.Hour), ci, cj, famSize[arts[i].ID], famSize[arts[j].ID], arts[i].Title, arts[j].Title, trunc(body(i)), trunc(body(j))))
				}
			}
		}
	}
	fmt.Printf("gold pairs %d, missed %d (recall %.3f)\n", total, missed, 1-float64(missed)/float64(total))
	keys := make([]string, 0, len(cause))
	for k := range cause {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		fmt.Printf("%6d pairs %5d articles  %s\n", cause[k], len(artCause[k]), k)
	}
	if path := os.Getenv("SAMPLES"); path != "" {
		if err := os.WriteFile(path, []byte(strings.Join(samples, "\n")), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func trunc(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > 160 {
		return s[:160]
	}
	return s
}
