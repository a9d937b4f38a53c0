package pipeline

import (
	"os"
	"testing"

	"github.com/newsdedup/newsdedup"
	"github.com/newsdedup/newsdedup/extract"
)

// readTexts extracts the plain-text files, each named by its path.
func readTexts(t *testing.T, files ...string) []*newsdedup.Article {
	t.Helper()
	var arts []*newsdedup.Article
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		a, err := extract.Text(f, data)
		if err != nil {
			t.Fatal(err)
		}
		a.ID = newsdedup.ArticleID(f)
		arts = append(arts, a)
	}
	return arts
}

// TestChineseRepublication: a short Chinese report and its republication
// sharing three of four paragraphs are one copy family, the earlier dated
// the original.
func TestChineseRepublication(t *testing.T) {
	arts := readTexts(t, "../extract/testdata/zh/republished.txt", "../extract/testdata/zh/report.txt")
	res := Run(DefaultConfig(), arts)
	if len(res.Families) != 1 || len(res.Families[0].Members) != 2 {
		t.Fatalf("families %+v, want one of both", res.Families)
	}
	if got := res.Families[0].Original; got != arts[1].ID {
		t.Errorf("original %s, want the report dated first", got)
	}
}

// TestStoriesAcrossLanguages: a report of the same meeting in English is not
// put in the story of the Chinese reports; their texts do not match.
func TestStoriesAcrossLanguages(t *testing.T) {
	arts := readTexts(t, "../extract/testdata/zh/report.txt", "../extract/testdata/zh/republished.txt")
	en, err := extract.Text("en.txt", []byte("ASEAN talks: Wang Yi meets Blinken in Jakarta\n\n2023-07-13\n\n"+
		"China's top diplomat Wang Yi met US Secretary of State Antony Blinken on Thursday on the sidelines of the 56th ASEAN foreign ministers' meeting in Jakarta, Indonesia.\n\n"+
		"Wang said the two sides should implement the consensus reached by their presidents and bring relations back on track, while managing their differences properly.\n\n"+
		"Blinken said Washington was willing to keep communicating with Beijing and to manage the relationship responsibly so that competition does not veer into conflict."))
	if err != nil {
		t.Fatal(err)
	}
	en.ID = "en"
	arts = append(arts, en)
	res := Run(DefaultConfig(), arts)
	story := make(map[newsdedup.ArticleID]int)
	for i, s := range res.Stories {
		for _, m := range s.Members {
			story[m] = i
		}
	}
	if story[arts[0].ID] != story[arts[1].ID] {
		t.Errorf("the Chinese report and its republication are in two stories")
	}
	if story[en.ID] == story[arts[0].ID] {
		t.Errorf("the English report joined the Chinese story: %+v", res.Stories)
	}
	if en.Lang != "en" || arts[0].Lang != "zh" {
		t.Errorf("langs %q %q, want en zh", en.Lang, arts[0].Lang)
	}
}
