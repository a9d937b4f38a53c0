package pipeline_test

import (
	"strings"
	"testing"

	"github.com/zeebo/xxh3"

	"github.com/newsdedup/newsdedup/pipeline"
	"github.com/newsdedup/newsdedup/textnorm"
)

func TestParagraphKeyIsTheFoldedHash(t *testing.T) {
	var tok textnorm.Tokenizer
	long := strings.Repeat("word ", pipeline.TemplateWords+1)
	for _, p := range []string{"Share this: Facebook, X, E-mail", "  Colour  of the CENTRE ", "", "…", long, strings.Repeat("word ", pipeline.TemplateWords)} {
		want := uint64(0)
		if f := textnorm.Fold(p); f != "" && strings.Count(f, " ") < pipeline.TemplateWords {
			want = xxh3.HashString(f) | 1
		}
		if got := pipeline.ParagraphKey(&tok, p); got != want {
			t.Errorf("ParagraphKey(%q) = %x, want %x", p, got, want)
		}
	}
}
