package align_test

import (
	"os"
	"strings"
	"testing"

	"github.com/newsdedup/newsdedup"
	"github.com/newsdedup/newsdedup/align"
	"github.com/newsdedup/newsdedup/extract"
)

func TestWords(t *testing.T) {
	got := align.Words("the German government is expected to release a strategy document", "the German government released a strategy document")
	var removed, added []string
	for _, w := range got {
		switch w.Op {
		case align.Removed:
			removed = append(removed, strings.TrimSpace(w.Text))
		case align.Added:
			added = append(added, strings.TrimSpace(w.Text))
		}
	}
	if strings.Join(removed, "|") != "is expected to release" || strings.Join(added, "|") != "released" {
		t.Errorf("removed %q added %q (%+v)", removed, added, got)
	}
}

func TestDiffSeeds(t *testing.T) {
	read := func(name string) []string {
		data, err := os.ReadFile("../../shared/fixtures/seeds/" + name)
		if err != nil {
			t.Skipf("seeds absent (%v)", err)
		}
		a, err := extract.Text(name, data)
		if err != nil {
			t.Fatal(err)
		}
		return a.Body
	}
	a, b := read("000_320cbc5214dc942b.txt"), read("002_f8696d654fff3052.txt")
	ps := align.Diff(newsdedup.DefaultParams, a, b)
	var added []string
	releaseChanged := false
	for _, p := range ps {
		if p.Op == align.Added {
			added = append(added, p.B)
		}
		for _, w := range p.Words {
			if w.Op == align.Added {
				added = append(added, w.Text)
			}
		}
		if p.Op == align.Changed && strings.Contains(p.A, "is expected to release") {
			for _, w := range p.Words {
				if w.Op == align.Added && strings.TrimSpace(w.Text) == "released" {
					releaseChanged = true
				}
			}
		}
	}
	all := strings.Join(added, "\n")
	for _, want := range []string{"candid and constructive", "department spokesperson Matthew Miller", "maintaining peace and stability", "Beijing and Moscow look to deepen ties", "harmonious coexistence"} {
		if !strings.Contains(all, want) {
			t.Errorf("added passages lack %q", want)
		}
	}
	if !releaseChanged {
		t.Errorf("no changed passage with \"is expected to release\" -> \"released\"")
	}
}
