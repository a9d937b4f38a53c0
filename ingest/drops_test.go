package ingest_test

import (
	"crypto/rand"
	"os"
	"path/filepath"
	"testing"

	"github.com/newsdedup/newsdedup/ingest"
)

// Inputs that hold no article are errors naming them, never dropped
// unsaid: a .warc that is no WARC, random bytes named .html, an empty or
// blank .jsonl, a feed item with no text. A JSON-lines file may start with
// a byte-order mark.
func TestNothingDroppedUnsaid(t *testing.T) {
	junk := make([]byte, 4096)
	rand.Read(junk)
	for _, tc := range []struct {
		name     string
		data     []byte
		articles int
		errors   int
	}{
		{"notwarc.warc", []byte("just some text, not a WARC file at all\n"), 0, 1},
		{"junk.warc", junk, 0, 1},
		{"junk.html", junk, 0, 1},
		{"empty.jsonl", []byte("\n\n  \n"), 0, 1},
		{"bom.jsonl", []byte("\ufeff{\"id\":\"b1\",\"text\":\"The council approved the budget on Tuesday after a long debate.\"}\n"), 1, 0},
		{"feed.rss", []byte(`<?xml version="1.0"?><rss version="2.0"><channel><title>Ex</title><item><title>Only a title</title><link>https://ex.example/a</link></item></channel></rss>`), 0, 1},
	} {
		dir := t.TempDir()
		f := filepath.Join(dir, tc.name)
		os.WriteFile(f, tc.data, 0o644)
		b := ingest.Read([]string{f})
		if len(b.Articles) != tc.articles || len(b.Errors) != tc.errors {
			t.Errorf("%s: %d articles, errors %v; want %d and %d", tc.name, len(b.Articles), b.Errors, tc.articles, tc.errors)
		}
	}
}
