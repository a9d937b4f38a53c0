package main

import (
	"context"
	"encoding/json"
	"errors"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/newsdedup/newsdedup"
	"github.com/newsdedup/newsdedup/eval"
	"github.com/newsdedup/newsdedup/store/bolt"
	"github.com/newsdedup/newsdedup/store/postgres"
	"github.com/newsdedup/newsdedup/store/postgres/pgtest"
)

const reutersDir = "../../../shared/eval/throughput/reuters21578"

// familySets renders a store's families as sorted member lists.
func familySets(t *testing.T, db string) (newsdedup.Stats, []string) {
	t.Helper()
	e, closeStore, err := openEngine(context.Background(), db, false)
	if err != nil {
		t.Fatalf("open %s after the crashes: %v", db, err)
	}
	defer closeStore()
	var out []string
	for _, f := range e.Families() {
		m := newsdedup.IDStrings(f.Members)
		slices.Sort(m)
		out = append(out, strings.Join(m, ","))
	}
	slices.Sort(out)
	return e.Stats(), out
}

// reutersInput writes the first n Reuters articles (all with n < 0) as
// JSON lines in dir and returns the file and the count.
func reutersInput(t *testing.T, dir string, n int) (string, int) {
	t.Helper()
	if _, err := os.Stat(reutersDir); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("Reuters corpus absent under CI: %v", err)
		}
		t.Skipf("Reuters corpus absent (%v): needs ../shared beside the repository", err)
	}
	arts, err := eval.Reuters(reutersDir)
	if err != nil {
		t.Fatal(err)
	}
	if n >= 0 && n < len(arts) {
		arts = arts[:n]
	}
	input := filepath.Join(dir, "reuters.jsonl")
	f, err := os.Create(input)
	if err != nil {
		t.Fatal(err)
	}
	enc := json.NewEncoder(f)
	for _, a := range arts {
		enc.Encode(map[string]string{"id": string(a.ID), "title": a.Title, "text": strings.Join(a.Body, "\n\n"),
			"published": a.Published.Format(time.RFC3339), "source": a.Source})
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	return input, len(arts)
}

// buildBinary builds the command into dir.
func buildBinary(t *testing.T, dir string) string {
	t.Helper()
	bin := filepath.Join(dir, "newsdedup")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	return bin
}

// killIngests runs "ingest --db db input" and kills it with SIGKILL at
// random moments until it has been killed kills times (each run lasts a
// random part of full, the time of an uninterrupted run), checks after
// each kill that the store opens, then lets a last run finish.
func killIngests(t *testing.T, bin, db, input string, full time.Duration, kills int) {
	t.Helper()
	ingest := func() *exec.Cmd { return exec.Command(bin, "ingest", "--db", db, input) }
	seed := uint64(time.Now().UnixNano())
	t.Logf("uninterrupted ingest took %v; kill delays from seed %d", full, seed)
	r := rand.New(rand.NewPCG(seed, 7))
	for k := 0; k < kills; {
		cmd := ingest()
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		delay := time.Duration(float64(full) * (0.1 + 0.8*r.Float64()))
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		select {
		case <-done:
			t.Logf("ingest finished before its kill at %v", delay)
		case <-time.After(delay):
			cmd.Process.Signal(syscall.SIGKILL)
			<-done
			k++
			s, err := openStore(context.Background(), db, false)
			if errors.Is(err, bolt.ErrNoStore) || errors.Is(err, postgres.ErrNoStore) {
				// Killed before the store was made (a fast ingest's
				// first tenth is its start): nothing is stored, and the
				// next ingest makes the store.
				t.Logf("killed after %v, before the store was made", delay)
				continue
			}
			if err != nil {
				t.Fatalf("store does not open after a kill: %v", err)
			}
			n, _, _ := s.Counts(context.Background())
			s.Close()
			t.Logf("killed after %v: %d articles stored", delay, n)
		}
	}
	if out, err := ingest().CombinedOutput(); err != nil {
		t.Fatalf("resumed ingest: %v\n%s", err, out)
	}
}

// TestIngestCrashResume kills "newsdedup ingest" of 8,000 Reuters articles
// with SIGKILL at three random moments, resumes it each time, and checks that the
// store opens, counts every article once, and holds the same families as
// one uninterrupted ingest.
func TestIngestCrashResume(t *testing.T) {
	if testing.Short() {
		t.Skip("ingests 8,000 articles several times")
	}
	dir := t.TempDir()
	input, n := reutersInput(t, dir, 8000)
	bin := buildBinary(t, dir)
	whole := filepath.Join(dir, "whole")
	start := time.Now()
	if out, err := exec.Command(bin, "ingest", "--db", whole, input).CombinedOutput(); err != nil {
		t.Fatalf("uninterrupted ingest: %v\n%s", err, out)
	}
	crashed := filepath.Join(dir, "crashed")
	killIngests(t, bin, crashed, input, time.Since(start), 3)
	wantStats, wantFams := familySets(t, whole)
	gotStats, gotFams := familySets(t, crashed)
	if gotStats.Articles != n || wantStats.Articles != n {
		t.Errorf("articles: crashed %d, whole %d, want %d each", gotStats.Articles, wantStats.Articles, n)
	}
	if gotStats != wantStats {
		t.Errorf("stats after crashes %+v, uninterrupted %+v", gotStats, wantStats)
	}
	if !slices.Equal(gotFams, wantFams) {
		t.Errorf("families differ: %d after crashes, %d uninterrupted", len(gotFams), len(wantFams))
	}
}

// TestPostgresIngest ingests 3,000 Reuters articles into PostgreSQL, once
// uninterrupted and once killed with SIGKILL three times and resumed, and
// into the embedded store: all three hold every article once, and export
// the same lines (families, originals, stories).
func TestPostgresIngest(t *testing.T) {
	if testing.Short() {
		t.Skip("ingests 3,000 articles three times")
	}
	whole, crashed := pgtest.DB(t), pgtest.DB(t)
	dir := t.TempDir()
	input, n := reutersInput(t, dir, 3000)
	bin := buildBinary(t, dir)
	embedded := filepath.Join(dir, "embedded")
	if out, err := exec.Command(bin, "ingest", "--db", embedded, input).CombinedOutput(); err != nil {
		t.Fatalf("embedded ingest: %v\n%s", err, out)
	}
	start := time.Now()
	if out, err := exec.Command(bin, "ingest", "--db", whole, input).CombinedOutput(); err != nil {
		t.Fatalf("uninterrupted ingest: %v\n%s", err, out)
	}
	killIngests(t, bin, crashed, input, time.Since(start), 3)
	want := exportLines(t, embedded)
	if len(want) != n {
		t.Fatalf("embedded store exports %d articles, want %d", len(want), n)
	}
	for name, db := range map[string]string{"uninterrupted": whole, "killed and resumed": crashed} {
		got := exportLines(t, db)
		if len(got) != n {
			t.Errorf("%s: %d articles exported, want %d", name, len(got), n)
			continue
		}
		for k := range got {
			g, _ := json.Marshal(got[k])
			w, _ := json.Marshal(want[k])
			if string(g) != string(w) {
				t.Errorf("%s: line %d is %s in PostgreSQL, %s in the embedded store", name, k, g, w)
				break
			}
		}
		if st, fams := familySets(t, db); st.Articles != n || !slices.Equal(fams, mustFamilies(t, embedded)) {
			t.Errorf("%s: %+v, families differ from the embedded store's", name, st)
		}
	}
}

func mustFamilies(t *testing.T, db string) []string {
	_, f := familySets(t, db)
	return f
}
