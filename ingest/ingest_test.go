package ingest_test

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/newsdedup/newsdedup/ingest"
)

func TestRead(t *testing.T) {
	dir := t.TempDir()
	article := "Port strike halts grain exports\n\nDock workers at the northern grain terminal walked out on Saturday, halting exports for the third day in a row, union officials said on the record.\n"
	files := map[string]string{
		"a.txt":         article,
		"sub/b.txt":     strings.Replace(article, "Saturday", "Sunday", 1),
		"sub/c":         article + "\nA second paragraph of text that the reporter added later in the day, with more detail on the talks.\n",
		"README.md":     "# not an article",
		".hidden/d.txt": article,
		"sub/empty.txt": "",
		"sub/page.html": "<!DOCTYPE html><html><head><title>Port strike</title></head><body><nav>Home | World</nav><article><h1>Port strike</h1><p>" + article + "</p><p>Farmers warned that a long stoppage would leave wheat stranded in silos as the harvest approaches, the union said.</p></article></body></html>",
		"sub/data.csv":  "a,b\n1,2\n",
	}
	for name, text := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	b := ingest.Read([]string{dir, filepath.Join(dir, "README.md"), filepath.Join(dir, "missing.txt")})
	var got []string
	for _, a := range b.Articles {
		rel, _ := filepath.Rel(dir, a.Input)
		got = append(got, rel)
	}
	// In the order given, directories walked in lexical order.
	if want := "a.txt sub/b.txt sub/c sub/page.html README.md"; strings.Join(got, " ") != want {
		t.Errorf("articles=%q, want %q", strings.Join(got, " "), want)
	}
	if len(b.Errors) != 2 || !strings.Contains(b.Errors[0].Error(), "empty.txt") && !strings.Contains(b.Errors[1].Error(), "empty.txt") {
		t.Errorf("errors=%v, want empty.txt and missing.txt", b.Errors)
	}
	if len(b.Skipped) != 2 {
		t.Errorf("skipped=%v, want README.md and data.csv", b.Skipped)
	}
	ids := map[string]bool{}
	for _, a := range b.Articles {
		if ids[string(a.ID)] {
			t.Errorf("duplicate ID %s", a.ID)
		}
		ids[string(a.ID)] = true
	}
	for _, a := range b.Articles {
		if strings.HasSuffix(a.Input, "page.html") && (a.Title != "Port strike" || strings.Contains(a.Text(), "Home | World") || !strings.Contains(a.Text(), "stranded in silos")) {
			t.Errorf("HTML page: title %q body %q", a.Title, a.Text())
		}
	}
	again := ingest.Read([]string{filepath.Join(dir, "a.txt")})
	if again.Articles[0].ID != b.Articles[0].ID {
		t.Errorf("ID of a.txt changed between reads")
	}
}

func TestReadJSONLAndStdin(t *testing.T) {
	dir := t.TempDir()
	text := "Dock workers at the northern grain terminal walked out on Saturday, halting exports for the third day in a row, union officials said."
	jl := `{"id":"one","text":"` + text + `","title":"Port strike","published":"2024-03-02","url":"https://example.com/a"}
{"id":"two","text":
{"id":"three","text":"` + text + `","published":"not a date"}

{"id":"four","text":"` + text + `","source":"Wire"}
`
	p := filepath.Join(dir, "feed.jsonl")
	if err := os.WriteFile(p, []byte(jl), 0o644); err != nil {
		t.Fatal(err)
	}
	b := ingest.ReadFrom([]string{dir}, nil)
	if len(b.Articles) != 2 || b.Articles[0].ID != "one" || b.Articles[1].ID != "four" {
		t.Fatalf("articles=%v, want one and four", b.Articles)
	}
	if a := b.Articles[0]; a.Title != "Port strike" || a.Source != "example.com" || a.Published.IsZero() {
		t.Errorf("record one: %+v", a)
	}
	if len(b.Errors) != 2 || !strings.Contains(b.Errors[0].Error(), "feed.jsonl:2: ") || !strings.Contains(b.Errors[1].Error(), "feed.jsonl:3: published") {
		t.Errorf("errors=%v, want lines 2 and 3 named", b.Errors)
	}

	b = ingest.ReadFrom([]string{"-"}, strings.NewReader(jl))
	if len(b.Articles) != 2 || !strings.HasPrefix(b.Articles[0].Input, "stdin:1") {
		t.Errorf("stdin JSONL: %d articles, first %q", len(b.Articles), b.Articles[0].Input)
	}
	b = ingest.ReadFrom([]string{"-"}, strings.NewReader("Dock workers strike at the northern grain terminal\n\n"+text+"\n"))
	if len(b.Articles) != 1 || b.Articles[0].Input != "stdin" || b.Articles[0].Title != "Dock workers strike at the northern grain terminal" {
		t.Errorf("stdin text: %+v errors %v", b.Articles, b.Errors)
	}
}

func TestReadURLsAndFeeds(t *testing.T) {
	text := "Dock workers at the northern grain terminal walked out on Saturday, halting exports for the third day in a row, union officials said."
	feedXML := `<?xml version="1.0"?><rss version="2.0"><channel><title>Example</title>
<item><title>Strike</title><link>https://example.com/s</link><description>&lt;p&gt;` + text + `&lt;/p&gt;</description></item></channel></rss>`
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/feed":
			w.Header().Set("Content-Type", "application/rss+xml")
			w.Write([]byte(feedXML))
		case "/page":
			w.Header().Set("Content-Type", "text/html")
			w.Write([]byte("<html><head><title>Port strike</title></head><body><article><h1>Port strike</h1><p>" + text + "</p><p>" + text + " Again, with more.</p></article></body></html>"))
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "saved.rss"), []byte(feedXML), 0o644); err != nil {
		t.Fatal(err)
	}
	b := ingest.Read([]string{srv.URL + "/feed", srv.URL + "/page", srv.URL + "/missing", "file:///etc/passwd", dir})
	// The saved feed's item is the fetched feed's (same URL, same text):
	// read once, and said so.
	if len(b.Articles) != 2 || len(b.Duplicates) != 1 {
		t.Fatalf("articles=%d, duplicates %q; want feed item and page, and the saved feed item as a duplicate; errors %v", len(b.Articles), b.Duplicates, b.Errors)
	}
	if b.Articles[0].URL != "https://example.com/s" || b.Articles[1].URL != srv.URL+"/page" || b.Articles[1].Fetched.IsZero() {
		t.Errorf("URLs %q %q", b.Articles[0].URL, b.Articles[1].URL)
	}
	if len(b.Errors) != 2 {
		t.Errorf("errors=%v, want the 404 and the file URL", b.Errors)
	}
}

func TestReadNamed(t *testing.T) {
	page := `<!doctype html><html><head><title>Port strike</title></head><body><article><h1>Port strike enters third day</h1>
<p>Dock workers at the northern grain terminal walked out on Saturday, halting exports for the third day in a row, the union said.</p>
<p>The port authority said it had offered talks on Monday and expected the terminal to reopen within the week.</p></article></body></html>`
	warcRec := "WARC/1.0\r\nWARC-Type: warcinfo\r\nContent-Length: 0\r\n\r\n\r\n\r\n"
	for _, tc := range []struct {
		name, data string
		articles   int
		err        string
	}{
		{"upload", page, 1, ""}, // sniffed as HTML
		{"notes.txt", strings.Repeat("A plain line of text about the port. ", 5), 1, ""},
		{"batch.jsonl", `{"id":"a","text":"Dock workers walked out."}` + "\n{bad\n", 1, "batch.jsonl:2"},
		{"crawl", warcRec, 0, ""}, // sniffed as WARC: no response record
		{"blob.bin", "\x00\x01\x02binary", 0, "blob.bin"},
		{"empty.txt", "", 0, "empty.txt"},
	} {
		b := ingest.ReadNamed(tc.name, strings.NewReader(tc.data))
		if len(b.Articles) != tc.articles {
			t.Errorf("%s: %d articles, want %d (errors %v)", tc.name, len(b.Articles), tc.articles, b.Errors)
		}
		if tc.err == "" && len(b.Errors) > 0 || tc.err != "" && (len(b.Errors) != 1 || !strings.Contains(b.Errors[0].Error(), tc.err)) {
			t.Errorf("%s: errors %v, want one naming %q", tc.name, b.Errors, tc.err)
		}
	}
}
