package eval

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/newsdedup/newsdedup/pipeline"
)

// TestSweepDev prints the dev figures for the story config set by env
// (SWEEP=1; FADENAMES, RARE, FADE, TIMED override the defaults): GVC,
// ECB+ dev whole and by groups of topics, dated and undated, politics dev.
func TestSweepDev(t *testing.T) {
	if os.Getenv("SWEEP") == "" {
		t.Skip("SWEEP not set")
	}
	cfg := pipeline.DefaultConfig()
	env := func(k string, p *float64) {
		if v := os.Getenv(k); v != "" {
			f, err := strconv.ParseFloat(v, 64)
			if err != nil {
				t.Fatal(err)
			}
			*p = f
		}
	}
	env("FADENAMES", &cfg.Story.FadeNames)
	env("FADE", &cfg.Story.Fade)
	env("TIMED", &cfg.Story.Timed)
	if v := os.Getenv("RARE"); v != "" {
		cfg.Story.FadeRare, _ = strconv.Atoi(v)
	}
	const dir = "../../shared/eval"
	topicOf := func(label string) int {
		n, _ := strconv.Atoi(strings.SplitN(label, "_", 2)[0])
		return n
	}
	type job struct {
		name          string
		set, split    string
		lo, hi        int
		noDates, skip bool
	}
	var jobs []job
	for _, nd := range []bool{false, true} {
		jobs = append(jobs, job{name: "gvc", set: "gvc", split: "all", noDates: nd})
		jobs = append(jobs, job{name: "ecb-dev", set: "ecbplus", split: "dev", noDates: nd})
		for _, g := range [][2]int{{1, 10}, {11, 20}, {21, 30}, {31, 35}} {
			jobs = append(jobs, job{name: fmt.Sprintf("ecb%d-%d", g[0], g[1]), set: "ecbplus", split: "dev", lo: g[0], hi: g[1], noDates: nd})
		}
	}
	jobs = append(jobs, job{name: "politics", set: "ecbplus-politics", split: "dev"})
	out := make([]string, len(jobs))
	var wg sync.WaitGroup
	sem := make(chan bool, 2)
	for k, j := range jobs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- true
			defer func() { <-sem }()
			ds, err := Load(dir, j.set, j.split)
			if err != nil {
				t.Error(err)
				return
			}
			if j.lo > 0 {
				var items []Item
				for _, it := range ds.Items {
					if tp := topicOf(it.Story[0]); tp >= j.lo && tp <= j.hi {
						items = append(items, it)
					}
				}
				ds.Items = items
			}
			if j.noDates {
				ds.DropDates()
			}
			c := cfg
			c.Workers = 1
			r := Evaluate(c, ds)
			m := r.Stories.Pairwise
			nd := ""
			if j.noDates {
				nd = " nodates"
			}
			out[k] = fmt.Sprintf("%-10s%-8s P %.3f R %.3f F1 %.3f  (%.0fs)", j.name, nd, m.Precision, m.Recall, m.F1, r.Seconds)
		}()
	}
	wg.Wait()
	fmt.Println(strings.Join(out, "\n"))
}
