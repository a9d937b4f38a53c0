package ingest

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"regexp"
	"strings"
	"time"

	"github.com/newsdedup/newsdedup"
	"github.com/newsdedup/newsdedup/extract"
)

// Record is one line of the generic JSON-lines format.
type Record struct {
	ID        string          `json:"id"`
	Text      string          `json:"text"`
	Title     string          `json:"title,omitempty"`
	Published string          `json:"published,omitempty"`
	Source    string          `json:"source,omitempty"`
	URL       string          `json:"url,omitempty"`
	Lang      string          `json:"lang,omitempty"` // ISO 639-1; detected from the text when empty
	Story     json.RawMessage `json:"story,omitempty"`
	Family    json.RawMessage `json:"family,omitempty"`
}

// MaxLine is the longest JSON line ReadJSONL accepts.
const MaxLine = 16 << 20

var waybackRe = regexp.MustCompile(`^https?://web\.archive\.org/web/[0-9a-z_]+/`)

// Article turns the record into an article: the text goes through the
// plain-text extractor, as a file given to "run" would, and the record's
// metadata wins over what extraction found. where names the record in errors.
func (rec *Record) Article(where string) (*newsdedup.Article, error) {
	if rec.ID == "" {
		return nil, fmt.Errorf("%s: %w", where, newsdedup.Errorf(newsdedup.EINVALID, "id required"))
	}
	if strings.TrimSpace(rec.Text) == "" {
		return nil, fmt.Errorf("%s: %w", where, newsdedup.Errorf(newsdedup.EINVALID, "text required"))
	}
	a, err := extract.Text(where, []byte(rec.Text))
	if err != nil {
		// Nothing that reads as prose: keep the text as it is.
		if err := extract.CheckText(where, []byte(rec.Text)); err != nil {
			return nil, err
		}
		a = &newsdedup.Article{Body: Paragraphs(rec.Text)}
	}
	a.Input = where
	if rec.Lang != "" {
		a.Lang = rec.Lang
	} else if a.Lang == "" {
		a.Lang = extract.DetectLang(a.Text())
	}
	if rec.Title != "" {
		a.Title = rec.Title
	}
	if rec.Published != "" {
		t, err := ParseTime(rec.Published)
		if err != nil {
			return nil, fmt.Errorf("%s: published: %w", where, err)
		}
		a.Published = t
	}
	a.URL = waybackRe.ReplaceAllString(rec.URL, "")
	if a.URL != "" && !strings.Contains(a.URL, "://") {
		a.URL = "http://" + a.URL
	}
	a.Source = rec.Source
	if a.Source == "" && a.URL != "" {
		if u, err := url.Parse(a.URL); err == nil {
			a.Source = strings.TrimPrefix(u.Hostname(), "www.")
		}
	}
	a.ID = newsdedup.ArticleID(rec.ID)
	return a, nil
}

// ParseTime parses a date or an RFC 3339 time.
func ParseTime(s string) (time.Time, error) {
	for _, layout := range []string{time.RFC3339, "2006-01-02T15:04:05", "2006-01-02 15:04:05", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, newsdedup.Errorf(newsdedup.EINVALID, "%q is neither a date nor an RFC 3339 time", s)
}

// Paragraphs splits text into paragraphs at blank lines, or at line breaks
// when it has no blank line.
func Paragraphs(text string) []string {
	text = strings.ReplaceAll(text, "\r\n", "\n")
	sep := "\n\n"
	if !strings.Contains(text, sep) {
		sep = "\n"
	}
	var out []string
	for _, p := range strings.Split(text, sep) {
		if p = strings.Join(strings.Fields(p), " "); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// ReadJSONL calls fn with every record of the generic JSON-lines format read
// from r, with its line number. A malformed line is an error naming name and
// the line; blank lines are skipped.
func ReadJSONL(r io.Reader, name string, fn func(n int, rec *Record) error) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), MaxLine)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" {
			continue
		}
		var rec Record
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			return fmt.Errorf("%s:%d: %w", name, n, err)
		}
		if err := fn(n, &rec); err != nil {
			return err
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	return nil
}
