package extract_test

import (
	"strings"
	"testing"

	"github.com/newsdedup/newsdedup"
	"github.com/newsdedup/newsdedup/extract"
)

// A page with more paragraphs or elements than an article's page can have
// is refused before extraction, whose cost grows faster than its size.
func TestHTMLTooManyElements(t *testing.T) {
	for name, page := range map[string]string{
		"paragraphs": "<html><body>" + strings.Repeat("<p>a", 5001) + "</body></html>",
		"elements":   "<html><body>" + strings.Repeat("<span>a</span>", 100001) + "</body></html>",
	} {
		_, err := extract.HTML(name, []byte(page), "")
		if err == nil || !strings.Contains(err.Error(), "not one article's page") {
			t.Errorf("%s: err %v, want a refusal", name, err)
		}
	}
}

// Plain text of more lines than an article has is refused at once, as a
// page of too many paragraphs is.
func TestTextTooManyLines(t *testing.T) {
	var b strings.Builder
	for range 5_001 {
		b.WriteString("word\n\n")
	}
	_, err := extract.Text("many.txt", []byte(b.String()))
	if newsdedup.ErrorCode(err) != newsdedup.EINVALID || !strings.Contains(err.Error(), "many.txt") {
		t.Errorf("Text of 5,001 lines: %v, want an invalid-input error naming the file", err)
	}
}
