package extract_test

import (
	"strings"
	"testing"

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
