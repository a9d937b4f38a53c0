package main

import (
	"encoding/json"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/newsdedup/newsdedup"
)

const examplesDir = "../../examples/news"

// TestExamples checks that "run" on the example corpus concludes what
// examples/news/README.md says it should.
func TestExamples(t *testing.T) {
	var r Report
	if err := json.Unmarshal([]byte(run(t, 0, "run", "--format", "json", examplesDir)), &r); err != nil {
		t.Fatalf("decode report: %v", err)
	}
	const (
		wire     = "01-coastwire-flood-report.html"
		reprint  = "02-harbour-ledger-reprint.html"
		update   = "03-harbour-ledger-update.html"
		farm     = "04-content-farm-copy.txt"
		other    = "05-nordpress-independent-report.txt"
		strike   = "06-port-strike-unrelated.txt"
		comet    = "07-briefs.jsonl:1"
		library  = "07-briefs.jsonl:2"
		nArticle = 8
	)
	byName := make(map[string]ArticleJSON)
	nameOf := make(map[string]string)
	for _, a := range r.Articles {
		n := filepath.Base(a.Input)
		byName[n] = a
		nameOf[a.ID] = n
	}
	for _, n := range []string{wire, reprint, update, farm, other, strike, comet, library} {
		if _, ok := byName[n]; !ok {
			t.Fatalf("no article read from %s; read %v", n, nameOf)
		}
	}
	if len(r.Articles) != nArticle {
		t.Fatalf("articles=%d, want %d", len(r.Articles), nArticle)
	}
	id := func(n string) string { return byName[n].ID }
	names := func(ids []string) []string {
		var out []string
		for _, i := range ids {
			out = append(out, nameOf[i])
		}
		slices.Sort(out)
		return out
	}

	familyOf := make(map[string]FamilyJSON)
	for _, f := range r.Families {
		for _, m := range f.Members {
			familyOf[nameOf[m]] = f
		}
	}
	storyOf := make(map[string]StoryJSON)
	for _, s := range r.Stories {
		for _, m := range s.Members {
			storyOf[nameOf[m]] = s
		}
	}
	kind := func(a, b string) newsdedup.Kind {
		for _, x := range r.Relations {
			if x.A == id(a) && x.B == id(b) || x.A == id(b) && x.B == id(a) {
				return x.Kind
			}
		}
		return ""
	}

	t.Run("family", func(t *testing.T) {
		f := familyOf[wire]
		if got, want := names(f.Members), []string{wire, reprint, update, farm}; !slices.Equal(got, want) {
			t.Errorf("family of the wire report = %v, want %v", got, want)
		}
		if f.Original != id(wire) {
			t.Errorf("original = %s, want the wire report %s", nameOf[f.Original], wire)
		}
		if k := kind(wire, reprint); k != newsdedup.KindReprint {
			t.Errorf("%s–%s: %q, want reprint", wire, reprint, k)
		}
		if k := kind(reprint, update); k != newsdedup.KindVersion {
			t.Errorf("%s–%s: %q, want version", reprint, update, k)
		}
		if k := kind(wire, farm); k != newsdedup.KindReprint && k != newsdedup.KindNearDuplicate {
			t.Errorf("%s–%s: %q, want reprint or near_duplicate", wire, farm, k)
		}
	})

	t.Run("independent report", func(t *testing.T) {
		if f := familyOf[other]; len(f.Members) != 1 {
			t.Errorf("%s is in family %v, want a family of its own", other, names(f.Members))
		}
		for _, x := range r.Relations {
			if (x.A == id(other) || x.B == id(other)) && x.Kind != newsdedup.KindSameStory {
				t.Errorf("%s–%s: %q, want no copy relation", nameOf[x.A], nameOf[x.B], x.Kind)
			}
		}
		if got, want := names(storyOf[wire].Members), []string{wire, reprint, update, farm, other}; !slices.Equal(got, want) {
			t.Errorf("story of the wire report = %v, want %v", got, want)
		}
	})

	t.Run("unrelated", func(t *testing.T) {
		for _, n := range []string{strike, comet, library} {
			if s := storyOf[n]; len(s.Members) != 1 {
				t.Errorf("%s is in story %v, want a story of its own", n, names(s.Members))
			}
			if f := familyOf[n]; len(f.Members) != 1 {
				t.Errorf("%s is in family %v, want a family of its own", n, names(f.Members))
			}
		}
		if len(r.Families) != 5 || len(r.Stories) != 4 {
			t.Errorf("families=%d stories=%d, want 5 and 4", len(r.Families), len(r.Stories))
		}
	})

	t.Run("extraction", func(t *testing.T) {
		for _, n := range []string{reprint, update, farm} {
			body := byName[n].Body
			for _, chrome := range []string{"Related", "Most read", "Share", "Facebook", "Sign up", "newsletter", "©", "Photo:", "Home", "Cookies"} {
				if strings.Contains(body, chrome) {
					t.Errorf("%s: chrome %q left in the body", n, chrome)
				}
			}
		}
		if a, b := byName[reprint], byName[update]; a.URL == "" || a.URL != b.URL || a.Title == b.Title {
			t.Errorf("the update should share the reprint's URL under a new title: %q %q / %q %q", a.URL, a.Title, b.URL, b.Title)
		}
		if !strings.Contains(byName[update].Body, "6.5 metres") || strings.Contains(byName[reprint].Body, "6.5 metres") {
			t.Errorf("the update's new paragraph is not where it belongs")
		}
		if src := byName[wire].Source; src != "Coastwire" {
			t.Errorf("wire source = %q, want Coastwire", src)
		}
		if c := byName[reprint].Credits; !slices.Contains(c, "Coastwire") {
			t.Errorf("reprint credits %v, want Coastwire", c)
		}
		if c := byName[farm].Credits; len(c) != 0 {
			t.Errorf("content farm credits %v, want none", c)
		}
	})
}
