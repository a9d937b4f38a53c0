package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/newsdedup/newsdedup/store/postgres/pgtest"
)

func run(t *testing.T, want int, args ...string) string {
	t.Helper()
	var out, errb bytes.Buffer
	if code := Main(context.Background(), args, nil, &out, &errb); code != want {
		t.Fatalf("%v: exit %d, want %d\n%s", args, code, want, errb.String())
	}
	return out.String()
}

// TestStoreCommands runs the store commands on the seeds, in the embedded
// store and in PostgreSQL.
func TestStoreCommands(t *testing.T) {
	needSeeds(t)
	t.Run("bolt", func(t *testing.T) { storeCommands(t, t.TempDir()) })
	t.Run("postgres", func(t *testing.T) { storeCommands(t, pgtest.DB(t)) })
}

func storeCommands(t *testing.T, db string) {
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
	// export: one family of the three versions and reprints, 000 its
	// original, and one story of four.
	lines := exportLines(t, db)
	byInput := map[string]ExportLine{}
	for _, l := range lines {
		byInput[filepath.Base(l.Input)[:3]] = l
	}
	orig := byInput["000"]
	if len(lines) != 4 || orig.Original != orig.ID || orig.Kind != "" {
		t.Fatalf("export: %+v", lines)
	}
	for _, k := range []string{"001", "002"} {
		if l := byInput[k]; l.Family != orig.Family || l.Original != orig.ID || l.Kind == "" {
			t.Errorf("export of %s: %+v, want in the family of 000 (%s) with the kind of its relation to it", k, l, orig.ID)
		}
	}
	if l := byInput["003"]; l.Family == orig.Family || l.Story != orig.Story {
		t.Errorf("export of 003: %+v, want its own family in the story of 000 (%s)", l, orig.Story)
	}
	run(t, 2, "stats")
}

// exportLines runs export on db and decodes its lines.
func exportLines(t *testing.T, db string) []ExportLine {
	t.Helper()
	var out []ExportLine
	for _, line := range strings.Split(strings.TrimSpace(run(t, 0, "export", "--db", db)), "\n") {
		var l ExportLine
		if err := json.Unmarshal([]byte(line), &l); err != nil {
			t.Fatalf("export line %q: %v", line, err)
		}
		out = append(out, l)
	}
	return out
}

// A record with a NUL in its title (which PostgreSQL's text refuses) is
// refused alone, named, in both stores: the others are stored.
func TestNULRefusedAlone(t *testing.T) {
	for name, db := range map[string]func(t *testing.T) string{
		"bolt":     func(t *testing.T) string { return t.TempDir() },
		"postgres": func(t *testing.T) string { return pgtest.DB(t) },
	} {
		t.Run(name, func(t *testing.T) {
			db := db(t)
			in := filepath.Join(t.TempDir(), "nul.jsonl")
			body := strings.Repeat("words of a text long enough to be one ", 5)
			lines := `{"id":"a","title":"fine","text":"` + body + `a"}` + "\n" +
				`{"id":"b","title":"bad\u0000title","text":"` + body + `b"}` + "\n" +
				`{"id":"c","title":"fine too","text":"` + body + `c"}` + "\n"
			if err := os.WriteFile(in, []byte(lines), 0o644); err != nil {
				t.Fatal(err)
			}
			var out, errb bytes.Buffer
			code := Main(context.Background(), []string{"ingest", "--db", db, in}, nil, &out, &errb)
			if code != 1 || !strings.Contains(errb.String(), "nul.jsonl:2") || !strings.Contains(errb.String(), "NUL") {
				t.Errorf("exit %d, stderr %q: want 1, naming line 2 and the NUL", code, errb.String())
			}
			var st map[string]int
			if err := json.Unmarshal([]byte(run(t, 0, "stats", "--db", db, "--format", "json")), &st); err != nil || st["articles"] != 2 {
				t.Errorf("stats %v %v, want the 2 good articles stored", st, err)
			}
		})
	}
}
