package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestExtractInputs: the inputs a new user hands "extract" first, each
// read or refused with a message that says why.
func TestExtractInputs(t *testing.T) {
	const page = `<!DOCTYPE html><html><head><meta charset="utf-8"><title>Port strike</title>
<meta property="article:published_time" content="2025-03-14T06:40:00Z"></head>
<body><article><h1>Port strike</h1><p>Talks failed — again — on Friday, and the union said it would strike.</p>
<p>Dock workers at the northern grain terminal walked out on Saturday, halting exports for the third day in a row, union officials said on the record.</p>
<p>Dock workers at the northern grain terminal walked out on Saturday, halting exports for the third day in a row, union officials said on the record.</p>
</article></body></html>`
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write([]byte(page))
	zw.Close()
	dir := t.TempDir()
	files := map[string][]byte{
		"saved/page.html.gz": gz.Bytes(),
		"latin1.txt":         []byte("Le maire annonce la fermeture\n\nLe maire a annonc\xe9 la fermeture du march\xe9 de No\xebl pour trois jours, \xe0 cause de la temp\xeate qui approche.\n"),
		"report.pdf":         []byte("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n"),
		"nav.html":           []byte(`<html><body><nav><a href=/>Home</a> | <a href=/about>About</a></nav><p>Hi</p></body></html>`),
	}
	for name, data := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, tc := range []struct {
		input     string
		code      int
		body      string // in the one article's body
		published string
		stderr    string
	}{
		{"saved", 0, "Talks failed — again — on Friday", "2025-03-14T06:40:00Z", ""},
		{"saved/page.html.gz", 0, "Talks failed — again — on Friday", "2025-03-14T06:40:00Z", ""},
		{"latin1.txt", 0, "Le maire a annoncé la fermeture du marché de Noël", "", ""},
		{"report.pdf", 1, "", "", "report.pdf: a PDF document, not supported (newsdedup reads text, HTML, WARC, feeds and JSON lines)"},
		{"nav.html", 1, "", "", "nav.html: no article text found (only 3 words of navigation or chrome)"},
	} {
		var stdout, stderr bytes.Buffer
		code := Main(context.Background(), []string{"extract", "--format", "jsonl", filepath.Join(dir, tc.input)}, nil, &stdout, &stderr)
		if code != tc.code || !strings.Contains(stderr.String(), tc.stderr) {
			t.Errorf("%s: exit %d, want %d; stderr %q, want %q", tc.input, code, tc.code, stderr.String(), tc.stderr)
		}
		if tc.body == "" {
			if stdout.Len() > 0 {
				t.Errorf("%s: printed %s, want nothing", tc.input, stdout.String())
			}
			continue
		}
		var rec ExtractJSON
		if err := json.Unmarshal(stdout.Bytes(), &rec); err != nil {
			t.Errorf("%s: %v: %s", tc.input, err, stdout.String())
			continue
		}
		if !strings.Contains(rec.Body, tc.body) || strings.Contains(rec.Body, "â€") {
			t.Errorf("%s: body %q, want %q", tc.input, rec.Body, tc.body)
		}
		got := ""
		if rec.Published != nil {
			got = *rec.Published
		}
		if got != tc.published {
			t.Errorf("%s: published %q, want %q", tc.input, got, tc.published)
		}
	}
}
