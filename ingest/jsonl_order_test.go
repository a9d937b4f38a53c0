package ingest

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
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
