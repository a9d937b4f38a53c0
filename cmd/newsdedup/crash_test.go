package main

import (
	"context"
	"encoding/json"
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
	"github.com/newsdedup/newsdedup/pipeline"
	"github.com/newsdedup/newsdedup/store/bolt"
)

const reutersDir = "../../../shared/eval/throughput/reuters21578"

// familySets renders a store's families as sorted member lists.
func familySets(t *testing.T, dir string) (newsdedup.Stats, []string) {
	t.Helper()
	ctx := context.Background()
	cfg := pipeline.DefaultConfig()
	s, err := bolt.Open(dir, cfg.Params)
	if err != nil {
		t.Fatalf("open %s after the crashes: %v", dir, err)
	}
	defer s.Close()
	e, err := pipeline.Open(ctx, cfg, s)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, f := range e.Families() {
		m := newsdedup.IDStrings(f.Members)
		slices.Sort(m)
		out = append(out, strings.Join(m, ","))
	}
	slices.Sort(out)
	return e.Stats(), out
}

// TestIngestCrashResume kills "newsdedup ingest" of the Reuters corpus with
// SIGKILL at random moments, resumes it each time, and checks that the
// store opens, counts every article once, and holds the same families as
// one uninterrupted ingest.
func TestIngestCrashResume(t *testing.T) {
	if testing.Short() {
		t.Skip("ingests the Reuters corpus several times")
	}
	if _, err := os.Stat(reutersDir); err != nil {
		t.Skipf("Reuters corpus absent (%v): needs ../shared beside the repository", err)
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "newsdedup")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	arts, err := eval.Reuters(reutersDir)
	if err != nil {
		t.Fatal(err)
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
	f.Close()

	ingest := func(db string) *exec.Cmd {
		cmd := exec.Command(bin, "ingest", "--db", db, input)
		cmd.Stdout, cmd.Stderr = nil, nil
		return cmd
	}
	whole := filepath.Join(dir, "whole")
	start := time.Now()
	if out, err := ingest(whole).CombinedOutput(); err != nil {
		t.Fatalf("uninterrupted ingest: %v\n%s", err, out)
	}
	full := time.Since(start)

	seed := uint64(time.Now().UnixNano())
	t.Logf("uninterrupted ingest took %v; kill delays from seed %d", full, seed)
	r := rand.New(rand.NewPCG(seed, 7))
	crashed := filepath.Join(dir, "crashed")
	kills := 0
	for kills < 5 {
		cmd := ingest(crashed)
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
			kills++
			s, err := bolt.Open(crashed, pipeline.DefaultConfig().Params)
			if err != nil {
				t.Fatalf("store does not open after a kill: %v", err)
			}
			n, _, _ := s.Counts(context.Background())
			s.Close()
			t.Logf("killed after %v: %d articles stored", delay, n)
		}
	}
	if out, err := ingest(crashed).CombinedOutput(); err != nil {
		t.Fatalf("resumed ingest: %v\n%s", err, out)
	}
	wantStats, wantFams := familySets(t, whole)
	gotStats, gotFams := familySets(t, crashed)
	if gotStats.Articles != len(arts) || wantStats.Articles != len(arts) {
		t.Errorf("articles: crashed %d, whole %d, want %d each", gotStats.Articles, wantStats.Articles, len(arts))
	}
	if gotStats != wantStats {
		t.Errorf("stats after crashes %+v, uninterrupted %+v", gotStats, wantStats)
	}
	if !slices.Equal(gotFams, wantFams) {
		t.Errorf("families differ: %d after crashes, %d uninterrupted", len(gotFams), len(wantFams))
	}
}
