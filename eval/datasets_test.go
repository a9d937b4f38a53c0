package eval

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/newsdedup/newsdedup/pipeline"
)

func TestReadJSONL(t *testing.T) {
	in := `{"id":"a","text":"Dock workers at the northern grain terminal walked out on Saturday, halting exports for the third day in a row, union officials said.","title":"Port strike","published":"2024-03-02","url":"https://web.archive.org/web/20240302/https://www.example.com/strike","story":"s1","family":1}

{"id":"b","text":"Dock workers at the northern grain terminal walked out on Saturday, halting exports for the third day in a row, union officials said.","published":"2024-03-02T10:00:00Z","source":"Wire","story":["s1","s2"]}
{"id":"a","text":"Dock workers at the northern grain terminal walked out on Saturday, halting exports for the third day in a row, union officials said.","story":"s3"}
`
	ds, err := ReadJSONL(strings.NewReader(in), "in.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	if len(ds.Items) != 2 {
		t.Fatalf("items=%d, want 2", len(ds.Items))
	}
	a, b := ds.Items[0], ds.Items[1]
	if a.Article.Title != "Port strike" || a.Article.URL != "https://www.example.com/strike" || a.Article.Source != "example.com" {
		t.Errorf("a=%+v", a.Article)
	}
	if strings.Join(a.Story, ",") != "s1,s3" || strings.Join(a.Family, ",") != "1" {
		t.Errorf("labels of a: story %v family %v", a.Story, a.Family)
	}
	if b.Article.Source != "Wire" || b.Article.Published.Hour() != 10 || len(b.Story) != 2 {
		t.Errorf("b=%+v story=%v", b.Article, b.Story)
	}
	// --no-dates: every date dropped, and the report says so.
	if n := ds.DropDates(); n != 2 || !a.Article.Published.IsZero() || !b.Article.Published.IsZero() {
		t.Errorf("DropDates = %d, dates left %v %v", n, a.Article.Published, b.Article.Published)
	}
	if rep := Evaluate(pipeline.DefaultConfig(), ds); !rep.NoDates {
		t.Errorf("report of an undated run: NoDates false")
	}

	for _, tc := range []struct{ in, want string }{
		{`{"id":"x","text":"t"`, "in.jsonl:1: unexpected end of JSON input"},
		{`{"text":"no id here"}`, "in.jsonl:1: id required"},
		{`{"id":"x","text":"  "}`, "in.jsonl:1: text required"},
		{"\n{\"id\":\"x\",\"text\":\"t\",\"published\":\"yesterday\"}", "in.jsonl:2: published: \"yesterday\" is neither"},
		{`{"id":"x","text":"t","story":{"a":1}}`, "in.jsonl:1: story: label map[a:1] is neither"},
	} {
		_, err := ReadJSONL(strings.NewReader(tc.in), "in.jsonl")
		if err == nil || !strings.HasPrefix(err.Error(), tc.want) {
			t.Errorf("ReadJSONL(%q) error=%v, want prefix %q", tc.in, err, tc.want)
		}
	}
}

// sharedEval returns the shared evaluation folder, skipping the test when
// it is absent (failing it under CI, where the data must be there).
func sharedEval(t *testing.T) string {
	t.Helper()
	dir := filepath.Join("..", SharedDir)
	if _, err := os.Stat(dir); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("evaluation data absent under CI (%v): needs ../shared beside the repository", err)
		}
		t.Skipf("evaluation data absent (%v): needs ../shared beside the repository", err)
	}
	return dir
}

// TestDatasets runs the pipeline on the shared evaluation sets and guards
// the figures reached so far against regressions. The floors are the
// measured figures rounded down, not the targets.
func TestDatasets(t *testing.T) {
	dir := sharedEval(t)
	for _, tc := range []struct {
		name, split string
		stories     float64 // least story pairwise F1
		families    float64 // least family pairwise F1
		slow        bool
	}{
		{"ecbplus", "test", 0.93, 0, false},
		{"wiki-versions", "all", 0, 0.97, false},
		{"gvc", "all", 0.83, 0, true},
		// Generated copies in house styles among unrelated texts (issue 19's target).
		{"multilingual-zh", "all", 0, 0.99, true},
		{"multilingual-de", "all", 0, 0.99, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.slow && (testing.Short() || raceEnabled) {
				t.Skip("slow under -short or the race detector; run go test ./eval without them")
			}
			ds, err := Load(dir, tc.name, tc.split)
			if err != nil {
				t.Fatal(err)
			}
			rep := Evaluate(pipeline.DefaultConfig(), ds)
			if tc.stories > 0 && rep.Stories.Pairwise.F1 < tc.stories {
				t.Errorf("story pairwise F1=%.3f, want >= %.2f", rep.Stories.Pairwise.F1, tc.stories)
			}
			if tc.families > 0 {
				if rep.Families.Pairwise.F1 < tc.families {
					t.Errorf("family pairwise F1=%.3f, want >= %.2f", rep.Families.Pairwise.F1, tc.families)
				}
				if rep.MixedFamilies != 0 {
					t.Errorf("%d families mix articles", rep.MixedFamilies)
				}
			}
		})
	}
}

// TestPoliticsSet checks the shape of the ECB+ politics set: undated,
// untitled, no source-URL line, two events a topic, splits apart.
func TestPoliticsSet(t *testing.T) {
	dir := sharedEval(t)
	seen := make(map[string]string)
	for _, split := range []string{"dev", "test"} {
		ds, err := Load(dir, "ecbplus-politics", split)
		if err != nil {
			t.Fatal(err)
		}
		if !ds.NoDates {
			t.Errorf("%s: NoDates false", split)
		}
		events := make(map[string]bool)
		for _, it := range ds.Items {
			a := it.Article
			if !a.Published.IsZero() || a.Title != "" || a.URL != "" {
				t.Errorf("%s: %s has date %v, title %q, url %q", split, a.ID, a.Published, a.Title, a.URL)
			}
			for _, p := range a.Body {
				if strings.HasPrefix(p, "http") {
					t.Errorf("%s: %s keeps the URL line %q", split, a.ID, p)
				}
			}
			if s, ok := seen[string(a.ID)]; ok {
				t.Errorf("%s is in %s and %s", a.ID, s, split)
			}
			seen[string(a.ID)] = split
			events[it.Story[0]] = true
		}
		if want := 2 * len(PoliticsTopics[split]); len(events) != want {
			t.Errorf("%s: %d events, want %d", split, len(events), want)
		}
	}
}

// A repeated id with another text is refused naming both lines (it was
// dropped unsaid), and a file without records or labels is an error, not
// an empty score.
func TestReadJSONLRefuses(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{`{"id":"e1","text":"The mayor opened the bridge on Monday.","story":"a"}` + "\n" + `{"id":"e1","text":"Floods closed the port on Tuesday.","story":"b"}`, `in.jsonl:2: id "e1" has another text on line 1`},
		{"\n\n", "in.jsonl: no records"},
		{`{"id":"e1","text":"The mayor opened the bridge on Monday."}`, "in.jsonl: no record has a gold story or family label"},
		{`{"id":"e1","text":"The mayor opened the bridge on Monday.","story":""}`, "in.jsonl: no record has a gold story or family label"},
		{`{"id":"e1","text":"The mayor opened the bridge.","story":"a"}` + "\n" + `{"id":"e1","text":"The mayor opened the bridge.","title":"Bridge","story":"b"}`, `in.jsonl:2: id "e1" has another title, date, url or source on line 1`},
		{`{"id":"e1","text":"The mayor opened the bridge.","story":"a"}` + "\n" + `{"id":"e1","text":"The mayor opened the bridge.","published":"not a date","story":"b"}`, `in.jsonl:2: published: "not a date"`},
		{`{"id":"a/b","text":"The mayor opened the bridge.","story":"a"}`, `in.jsonl:1: id "a/b": no spaces`},
	} {
		_, err := ReadJSONL(strings.NewReader(tc.in), "in.jsonl")
		if err == nil || !strings.HasPrefix(err.Error(), tc.want) {
			t.Errorf("ReadJSONL(%q) error=%v, want prefix %q", tc.in, err, tc.want)
		}
	}
	// The same id and text twice: one article, both labels.
	ds, err := ReadJSONL(strings.NewReader(`{"id":"e1","text":"The mayor opened the bridge.","story":"a"}`+"\n"+`{"id":"e1","text":"The mayor  opened the bridge.","story":"b"}`), "in.jsonl")
	if err != nil || len(ds.Items) != 1 || strings.Join(ds.Items[0].Story, ",") != "a,b" {
		t.Errorf("same id and text: %v, %+v", err, ds)
	}
}
