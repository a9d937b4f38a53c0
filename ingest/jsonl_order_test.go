package ingest

import (
	"fmt"
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
