package ingest_test

import (
	"testing"

	"github.com/newsdedup/newsdedup/ingest"
)

func TestCanonicalURL(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"https://News.Example.com/a/b?utm_source=x&utm_medium=y", "https://news.example.com/a/b"},
		{"https://news.example.com/a/b#comments", "https://news.example.com/a/b"},
		{"https://news.example.com:443/a/b?id=7&fbclid=abc", "https://news.example.com/a/b?id=7"},
		{"http://news.example.com:80", "http://news.example.com/"},
		{"https://news.example.com/a/b/", "https://news.example.com/a/b/"}, // another path, kept
		{"https://news.example.com/a?page=2", "https://news.example.com/a?page=2"},
		{"pasted", "pasted"},
		{"ftp://x/y#z", "ftp://x/y#z"},
	} {
		if got := ingest.CanonicalURL(tc.in); got != tc.want {
			t.Errorf("CanonicalURL(%q)=%q, want %q", tc.in, got, tc.want)
		}
	}
}
