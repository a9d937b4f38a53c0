package main

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/newsdedup/newsdedup/ingest"
	"github.com/newsdedup/newsdedup/pipeline"
)

// writeJSON streams what json.Encoder writes for NewReport, byte for byte.
func TestWriteJSONIsTheReport(t *testing.T) {
	batch := ingest.Read([]string{"../../examples/news", "../../../shared/fixtures/seeds"})
	if len(batch.Articles) < 5 {
		t.Fatalf("%d articles read, want the examples and the seeds", len(batch.Articles))
	}
	res := pipeline.Run(pipeline.DefaultConfig(), batch.Articles)
	var want, got bytes.Buffer
	if err := json.NewEncoder(&want).Encode(NewReport(res)); err != nil {
		t.Fatal(err)
	}
	if err := writeJSON(&got, res); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got.Bytes(), want.Bytes()) {
		t.Fatalf("writeJSON wrote %d bytes, the encoder %d; they differ", got.Len(), want.Len())
	}
	empty := &pipeline.Result{}
	want.Reset()
	got.Reset()
	json.NewEncoder(&want).Encode(NewReport(empty))
	writeJSON(&got, empty)
	if got.String() != want.String() {
		t.Fatalf("empty: writeJSON wrote %q, want %q", got.String(), want.String())
	}
}
