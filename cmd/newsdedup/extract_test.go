package main

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"
)

func TestExtractCommand(t *testing.T) {
	needSeeds(t)
	var stdout, stderr bytes.Buffer
	if code := Main(context.Background(), []string{"extract", "--format", "jsonl", seedsDir}, nil, &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	lines := strings.Split(strings.TrimSpace(stdout.String()), "\n")
	if len(lines) != 4 {
		t.Fatalf("records=%d, want 4", len(lines))
	}
	for _, l := range lines {
		var rec map[string]any
		if err := json.Unmarshal([]byte(l), &rec); err != nil {
			t.Fatal(err)
		}
		for _, k := range []string{"input", "title", "published", "source", "url", "lang", "body"} {
			if _, ok := rec[k]; !ok {
				t.Errorf("record lacks %q: %s", k, l)
			}
		}
	}
}
