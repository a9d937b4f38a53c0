package eval

import (
	"github.com/newsdedup/newsdedup/ingest"
	"slices"
	"strings"
	"testing"
)

func TestMultilingualGenerator(t *testing.T) {
	dir := sharedEval(t)
	for _, lang := range []string{"zh", "de"} {
		a, err := Multilingual(dir, lang, MultilingualSeed)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := Multilingual(dir, lang, MultilingualSeed)
		if len(a) != len(b) || a[0].ID != b[0].ID || a[len(a)-1].Text != b[len(b)-1].Text {
			t.Errorf("%s: the same seed gave other records", lang)
		}
		if c, _ := Multilingual(dir, lang, MultilingualSeed+1); slices.EqualFunc(a, c, func(x, y ingest.Record) bool { return x.Text == y.Text }) {
			t.Errorf("%s: another seed gave the same records", lang)
		}
		fam := make(map[string]int)
		ids := make(map[string]bool)
		edited := 0
		for _, r := range a {
			fam[string(r.Family)]++
			if ids[r.ID] {
				t.Errorf("%s: id %s twice", lang, r.ID)
			}
			ids[r.ID] = true
			if strings.Contains(r.ID, "-copy") && (strings.Contains(r.Text, "据") || strings.Contains(r.Text, "«") || strings.Contains(r.Text, "ss")) {
				edited++
			}
		}
		multi := 0
		for _, n := range fam {
			if n > 1 {
				multi++
			}
		}
		if multi != 150 || len(fam) < 400 {
			t.Errorf("%s: %d families of copies among %d, want 150 among 400 or more", lang, multi, len(fam))
		}
		if edited == 0 {
			t.Errorf("%s: no copy shows the house style", lang)
		}
	}
	if _, err := Multilingual(dir, "xx", 1); err == nil {
		t.Errorf("Multilingual(xx) gave no error")
	}
}
