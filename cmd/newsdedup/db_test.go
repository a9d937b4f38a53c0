package main

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"
)

func run(t *testing.T, want int, args ...string) string {
	t.Helper()
	var out, errb bytes.Buffer
	if code := Main(context.Background(), args, nil, &out, &errb); code != want {
		t.Fatalf("%v: exit %d, want %d\n%s", args, code, want, errb.String())
	}
	return out.String()
}

func TestStoreCommands(t *testing.T) {
	needSeeds(t)
	db := t.TempDir()
	if out := run(t, 0, "ingest", "--db", db, seedsDir); !strings.Contains(out, "stored 4 new articles") {
		t.Errorf("ingest: %s", out)
	}
	if out := run(t, 0, "ingest", "--db", db, seedsDir); !strings.Contains(out, "stored 0 new articles (4 already stored)") {
		t.Errorf("re-ingest: %s", out)
	}
	var st map[string]int
	if err := json.Unmarshal([]byte(run(t, 0, "stats", "--db", db, "--format", "json")), &st); err != nil || st["articles"] != 4 || st["families"] != 2 || st["stories"] != 1 {
		t.Errorf("stats: %v %v", st, err)
	}
	var q []PlacementJSON
	if err := json.Unmarshal([]byte(run(t, 0, "query", "--db", db, "--format", "json", seedsDir+"/002_f8696d654fff3052.txt")), &q); err != nil || len(q) != 1 || len(q[0].Family.Members) != 3 || !q[0].Stored {
		t.Errorf("query: %+v %v", q, err)
	}
	if out := run(t, 0, "stories", "--db", db, "--since", "2023-07-01"); !strings.Contains(out, "4 articles") {
		t.Errorf("stories: %s", out)
	}
	if out := run(t, 0, "stories", "--db", db, "--since", "2024-01-01"); strings.TrimSpace(out) != "" {
		t.Errorf("stories since 2024: %q", out)
	}
	if out := run(t, 0, "diff", "--db", db, q[0].Family.Original, q[0].ID); !strings.Contains(out, "[-is expected to release -]{+released +}") {
		t.Errorf("diff lacks the release change:\n%s", out)
	}
	run(t, 1, "diff", "--db", db, "nope", "nada")
	run(t, 2, "stats")
}
