package ingest_test

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/newsdedup/newsdedup/extract"
	"github.com/newsdedup/newsdedup/ingest"
)

// TestReadLimits: every document is capped by the bytes read, whether it
// comes from a file, stdin or a named reader.
func TestReadLimits(t *testing.T) {
	dir := t.TempDir()
	sparse := func(name string, size int64) string {
		p := filepath.Join(dir, name)
		mustWrite(t, p, "")
		if err := os.Truncate(p, size); err != nil {
			t.Fatal(err)
		}
		return p
	}
	html := func(n int) io.Reader {
		head := "<!doctype html><html><body><p>"
		return io.MultiReader(strings.NewReader(head), io.LimitReader(repeat('a'), int64(n-len(head))))
	}
	for _, tc := range []struct {
		name         string
		read         func() *ingest.Batch
		input, limit string // the one error names the input and the limit
	}{
		{"text file over MaxBytes", func() *ingest.Batch {
			return ingest.Read([]string{sparse("big.txt", extract.MaxBytes+1)})
		}, "big.txt: ", "over the 8 MiB limit"},
		{"HTML file over MaxHTMLBytes", func() *ingest.Batch {
			return ingest.Read([]string{sparse("big.html", extract.MaxHTMLBytes+1)})
		}, "big.html: ", "over the 16 MiB limit"},
		{"stdin text over MaxBytes", func() *ingest.Batch {
			return ingest.ReadFrom([]string{"-"}, io.LimitReader(repeat('a'), extract.MaxBytes+1))
		}, "stdin: ", "over the 8 MiB limit"},
		{"stdin HTML over MaxHTMLBytes", func() *ingest.Batch {
			return ingest.ReadFrom([]string{"-"}, html(extract.MaxHTMLBytes+1))
		}, "stdin: ", "over the 16 MiB limit"},
		{"stdin without end", func() *ingest.Batch {
			return ingest.ReadFrom([]string{"-"}, repeat('a'))
		}, "stdin: ", "over the 8 MiB limit"},
		{"named HTML over MaxHTMLBytes", func() *ingest.Batch {
			return ingest.ReadNamed("upload", html(extract.MaxHTMLBytes+1))
		}, "upload: ", "over the 16 MiB limit"},
		{"named without end", func() *ingest.Batch {
			return ingest.ReadNamed("upload.txt", repeat('a'))
		}, "upload.txt: ", "over the 8 MiB limit"},
	} {
		b := tc.read()
		if len(b.Articles) != 0 || len(b.Errors) != 1 || !strings.Contains(b.Errors[0].Error(), tc.input) || !strings.Contains(b.Errors[0].Error(), tc.limit) || !errors.Is(b.Errors[0], extract.ErrTooLarge) {
			t.Errorf("%s: %d articles, errors %v, want one naming %q and %q", tc.name, len(b.Articles), b.Errors, tc.input, tc.limit)
		}
	}
}

// repeat is an endless reader of c.
type repeat byte

func (r repeat) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = byte(r)
	}
	return len(p), nil
}

func mustWrite(t *testing.T, path, text string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}
