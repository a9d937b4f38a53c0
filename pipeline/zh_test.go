package pipeline

import (
	"os"
	"testing"

	"github.com/newsdedup/newsdedup"
	"github.com/newsdedup/newsdedup/extract"
)

// TestChineseRepublication: a short Chinese report and its republication
// sharing three of four paragraphs are one copy family, the earlier dated
// the original.
func TestChineseRepublication(t *testing.T) {
	var arts []*newsdedup.Article
	for _, f := range []string{"../extract/testdata/zh/republished.txt", "../extract/testdata/zh/report.txt"} {
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
	res := Run(DefaultConfig(), arts)
	if len(res.Families) != 1 || len(res.Families[0].Members) != 2 {
		t.Fatalf("families %+v, want one of both", res.Families)
	}
	if got := res.Families[0].Original; got != arts[1].ID {
		t.Errorf("original %s, want the report dated first", got)
	}
}
