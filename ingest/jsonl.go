package ingest

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"reflect"
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
		// Unsure on the whole record, detection may tell from the text
		// extracted (a record's sign-off and ticker lines left out).
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
// from r, with its line number. A malformed line, or one over MaxLine, is an
// error naming name and the line; blank lines are skipped.
func ReadJSONL(r io.Reader, name string, fn func(n int, rec *Record) error) error {
	var ferr error
	err := EachLine(r, MaxLine, func(n int, line []byte, tooLong bool) bool {
		if tooLong {
			ferr = fmt.Errorf("%s:%d: %w", name, n, errLongLine)
			return false
		}
		if n == 1 {
			line = bytes.TrimPrefix(line, []byte("\ufeff")) // a byte-order mark
		}
		if line = bytes.TrimSpace(line); len(line) == 0 {
			return true
		}
		var rec Record
		if err := json.Unmarshal(line, &rec); err != nil {
			ferr = fmt.Errorf("%s:%d: %w", name, n, jsonError(err))
			return false
		}
		ferr = fn(n, &rec)
		return ferr == nil
	})
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	return ferr
}

// errLongLine is the error of a JSON line over MaxLine.
var errLongLine = newsdedup.Errorf(newsdedup.EINVALID, "a line of over %d MiB (one record a line, at most %d MiB)", MaxLine>>20, MaxLine>>20)

// jsonError says what a JSON decoding error means without Go's type names
// ("cannot unmarshal array into Go value of type ingest.Record").
func jsonError(err error) error {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		if te.Field != "" {
			return newsdedup.Errorf(newsdedup.EINVALID, "field %q: a JSON %s where %s was expected", te.Field, te.Value, jsonKind(te.Type.Kind()))
		}
		return newsdedup.Errorf(newsdedup.EINVALID, "a JSON %s where an object was expected", te.Value)
	}
	return err
}

func jsonKind(k reflect.Kind) string {
	switch k {
	case reflect.String:
		return "a string"
	case reflect.Slice, reflect.Array:
		return "a list"
	case reflect.Map, reflect.Struct:
		return "an object"
	case reflect.Bool:
		return "true or false"
	case reflect.Interface:
		return "a value"
	default:
		return "a number"
	}
}

// EachLine calls fn with every line of r (without its line ending) and its
// number, until fn returns false. A line over max bytes is not kept in
// memory: fn gets it with tooLong set and no text, and the lines after it
// are read. The line passed is reused by the next call.
func EachLine(r io.Reader, max int, fn func(n int, line []byte, tooLong bool) bool) error {
	br := bufio.NewReaderSize(r, 64<<10)
	var buf []byte
	for n := 1; ; n++ {
		buf = buf[:0]
		long := false
		var err error
		for {
			var frag []byte
			frag, err = br.ReadSlice('\n')
			if !long && len(buf)+len(frag) > max+1 { // +1: the newline
				long, buf = true, buf[:0]
			}
			if !long {
				buf = append(buf, frag...)
			}
			if err != bufio.ErrBufferFull {
				break
			}
		}
		if err != nil && err != io.EOF {
			return err
		}
		if err == io.EOF && len(buf) == 0 && !long {
			return nil
		}
		line := bytes.TrimSuffix(bytes.TrimSuffix(buf, []byte("\n")), []byte("\r"))
		if !fn(n, line, long) || err == io.EOF {
			return nil
		}
	}
}
