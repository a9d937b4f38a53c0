package eval

import "testing"

func TestScoreSnippets(t *testing.T) {
	p := SnippetPage{With: []string{"the  main\ntext", "missing"}, Without: []string{"Impressum", "Share"}}
	var c SnippetCounts
	ScoreSnippets(&c, p, "Share this. The body: the main text here.")
	if c != (SnippetCounts{TP: 1, FN: 1, FP: 1, TN: 1}) {
		t.Fatalf("counts %+v, want 1 of each", c)
	}
	if m := c.PRF(); m.Precision != 0.5 || m.Recall != 0.5 || m.F1 != 0.5 {
		t.Errorf("PRF %+v, want 0.5 each", m)
	}
}
