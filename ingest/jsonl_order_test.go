package ingest

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/newsdedup/newsdedup"
)

// Lines are parsed in parallel, chunk by chunk; the batch must hold them
// in their order, with each bad line's error naming it.
func TestReadJSONLKeepsOrder(t *testing.T) {
	var b strings.Builder
	n := 2*jsonlChunk + 37
	for i := range n {
		switch {
		case i == jsonlChunk+5:
			b.WriteString("{not json\n")
		case i%500 == 7:
			b.WriteString("\n")
		default:
			fmt.Fprintf(&b, `{"id":"a%d","text":"Article number %d says the minister met the envoy on day %d of the talks."}`+"\n", i, i, i)
		}
	}
	batch := ReadNamed("in.jsonl", strings.NewReader(b.String()))
	if len(batch.Errors) != 1 || !strings.Contains(batch.Errors[0].Error(), fmt.Sprintf("in.jsonl:%d:", jsonlChunk+6)) {
		t.Fatalf("Errors=%v, want one naming line %d", batch.Errors, jsonlChunk+6)
	}
	k := 0
	for i := range n {
		if i == jsonlChunk+5 || i%500 == 7 {
			continue
		}
		if k >= len(batch.Articles) {
			t.Fatalf("%d articles, want more", len(batch.Articles))
		}
		if got, want := string(batch.Articles[k].ID), fmt.Sprintf("a%d", i); got != want {
			t.Fatalf("article %d: ID=%v, want %v", k, got, want)
		}
		k++
	}
	if k != len(batch.Articles) {
		t.Fatalf("%d articles, want %d", len(batch.Articles), k)
	}
}

// The documents of a folder are read in parallel, fileChunk at a time; the
// batch holds them in the walk's (lexical) order, a repeated text once.
func TestReadFolderKeepsOrder(t *testing.T) {
	dir := t.TempDir()
	n := 2*fileChunk + 9
	for i := range n {
		text := fmt.Sprintf("Report %d: the minister met the envoy on day %d of the talks in the capital, officials said on Monday.\n", i, i)
		if i == 70 {
			text = fmt.Sprintf("Report %d: the minister met the envoy on day %d of the talks in the capital, officials said on Monday.\n", 3, 3)
		}
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("%04d.txt", i)), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	batch := ReadWith([]string{dir}, Options{})
	if len(batch.Errors) != 0 || len(batch.Duplicates) != 1 || !strings.Contains(batch.Duplicates[0], "0070.txt") {
		t.Fatalf("Errors=%v Duplicates=%v, want none and one naming 0070.txt", batch.Errors, batch.Duplicates)
	}
	if len(batch.Articles) != n-1 {
		t.Fatalf("%d articles, want %d", len(batch.Articles), n-1)
	}
	k := 0
	for i := range n {
		if i == 70 {
			continue
		}
		if want := fmt.Sprintf("%04d.txt", i); !strings.HasSuffix(batch.Articles[k].Input, want) {
			t.Fatalf("article %d from %s, want %s", k, batch.Articles[k].Input, want)
		}
		k++
	}
}

// A line over MaxLine is refused, naming it, and the lines after it are
// read (a Scanner stopped at it and lost the rest of the file); a line of a
// JSON list is refused without Go's type names.
func TestReadJSONLLongLine(t *testing.T) {
	rec := func(id string) string {
		return fmt.Sprintf(`{"id":%q,"text":"The minister met the envoy on the third day of the talks, officials said."}`+"\n", id)
	}
	in := rec("first") + `{"id":"huge","text":"` + strings.Repeat("word ", MaxLine/5+10) + "\"}\n" + "[1,2,3]\n" + rec("last")
	batch := ReadNamed("in.jsonl", strings.NewReader(in))
	if len(batch.Articles) != 2 || batch.Articles[0].ID != "first" || batch.Articles[1].ID != "last" {
		t.Errorf("articles %d, want first and last", len(batch.Articles))
	}
	if len(batch.Errors) != 2 || !strings.HasPrefix(batch.Errors[0].Error(), "in.jsonl:2: a line of over 16 MiB") ||
		!strings.HasPrefix(batch.Errors[1].Error(), "in.jsonl:3: a JSON array where an object was expected") {
		t.Errorf("errors %v, want line 2 too long and line 3 a list", batch.Errors)
	}
	var ids []string
	err := ReadJSONL(strings.NewReader(in), "in.jsonl", func(n int, r *Record) error { ids = append(ids, r.ID); return nil })
	if err == nil || !strings.HasPrefix(err.Error(), "in.jsonl:2: a line of over 16 MiB") || len(ids) != 1 {
		t.Errorf("ReadJSONL: %v after %v, want an error naming line 2", err, ids)
	}
	// Lines split at the reader's buffer, without a final newline, CRLF.
	var got []string
	EachLine(strings.NewReader("a\r\n"+strings.Repeat("b", 100<<10)+"\n\nc"), 200<<10, func(n int, line []byte, long bool) bool {
		got = append(got, fmt.Sprintf("%d:%d:%v", n, len(line), long))
		return true
	})
	if want := fmt.Sprintf("1:1:false 2:%d:false 3:0:false 4:1:false", 100<<10); strings.Join(got, " ") != want {
		t.Errorf("EachLine: %v, want %s", got, want)
	}
}

// An article the store would refuse (a title over MaxTitleLen) is refused
// when read, for run as for ingest, naming its line; the others are read.
func TestReadRefusesWhatStoreWould(t *testing.T) {
	in := fmt.Sprintf(`{"id":"long","title":%q,"text":"The minister met the envoy on the third day of the talks, officials said."}`+"\n", strings.Repeat("T", newsdedup.MaxTitleLen+1)) +
		`{"id":"ok","text":"The minister met the envoy on the third day of the talks, officials said."}` + "\n"
	batch := ReadNamed("in.jsonl", strings.NewReader(in))
	if len(batch.Articles) != 1 || batch.Articles[0].ID != "ok" {
		t.Errorf("articles %d, want ok alone", len(batch.Articles))
	}
	if len(batch.Errors) != 1 || !strings.HasPrefix(batch.Errors[0].Error(), "in.jsonl:1: article long: title of 4097 bytes") {
		t.Errorf("errors %v, want the title refused naming line 1", batch.Errors)
	}
}

// A title an extractor finds (an HTML <title>, a feed item's) over
// MaxTitleLen is cut, not the page refused: only a title given explicitly
// is refused.
func TestFoundTitlesAreCut(t *testing.T) {
	dir := t.TempDir()
	long := strings.Repeat("Flood ", newsdedup.MaxTitleLen/6) + "abcé" + strings.Repeat("x", 100) // é straddles the limit
	body := "<p>The river rose two metres overnight and the town's lower streets were evacuated before dawn, officials said.</p><p>Rescue boats moved through the flooded streets on Friday as residents waited on rooftops for help to arrive.</p>"
	os.WriteFile(filepath.Join(dir, "page.html"), []byte("<html><head><title>"+long+"</title></head><body><article><h1>"+long+"</h1>"+body+"</article></body></html>"), 0o644)
	os.WriteFile(filepath.Join(dir, "feed.rss"), []byte(`<?xml version="1.0"?><rss version="2.0"><channel><title>c</title><item><title>`+long+`</title><link>https://example.com/a</link><description>The council voted on Monday to close the old bridge to lorries after engineers found cracks in two of its piers, the mayor said.</description></item></channel></rss>`), 0o644)
	batch := Read([]string{dir})
	if len(batch.Errors) != 0 || len(batch.Articles) != 2 {
		t.Fatalf("articles %d, errors %v; want both read", len(batch.Articles), batch.Errors)
	}
	for _, a := range batch.Articles {
		if len(a.Title) > newsdedup.MaxTitleLen || !strings.HasPrefix(a.Title, "Flood Flood") || !utf8.ValidString(a.Title) {
			t.Errorf("%s: title of %d bytes %q…, want it cut to at most %d", a.Input, len(a.Title), a.Title[:min(20, len(a.Title))], newsdedup.MaxTitleLen)
		}
	}
}
