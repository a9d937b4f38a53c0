package main

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/newsdedup/newsdedup"
	"github.com/newsdedup/newsdedup/bench"
	"github.com/newsdedup/newsdedup/eval"
	"github.com/newsdedup/newsdedup/lsh/redislsh/redistest"
	"github.com/newsdedup/newsdedup/queue/natstest"
	"github.com/newsdedup/newsdedup/store/postgres"
	"github.com/newsdedup/newsdedup/store/postgres/pgtest"
)

// startWorker starts a worker and returns it; it is killed when t ends.
func startWorker(t *testing.T, bin, db, q, index string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(bin, "worker", "--db", db, "--queue", q, "--index", index, "--addr", "127.0.0.1:0", "--ack-wait", "3s", "--batch", "32")
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = nil
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	// It prints its metrics URL once it works.
	if _, err := bufio.NewReader(out).ReadString('\n'); err != nil {
		t.Fatalf("worker printed no metrics URL: %v", err)
	}
	go io.Copy(io.Discard, out)
	return cmd
}

// TestWorkers queues 4,500 generated articles (Reuters originals with
// republished copies), places them with two workers sharing PostgreSQL and
// a candidate index in a Redis Cluster, one killed with
// SIGKILL after a few seconds and restarted, and checks that every article
// is stored once, in the families an embedded ingest of the same file
// makes, and in stories that agree with its stories at pairwise F1 ≥ 0.95.
func TestWorkers(t *testing.T) {
	if testing.Short() {
		t.Skip("places 4,500 articles twice")
	}
	db := pgtest.DB(t)
	nats := natstest.Start(t)
	redis := redistest.Start(t)
	if _, err := os.Stat(reutersDir); err != nil {
		t.Skipf("Reuters corpus absent (%v)", err)
	}
	seeds, err := eval.Reuters(reutersDir)
	if err != nil {
		t.Fatal(err)
	}
	items := bench.Generate(seeds, 4500, 3)
	dir := t.TempDir()
	input := filepath.Join(dir, "articles.jsonl")
	f, err := os.Create(input)
	if err != nil {
		t.Fatal(err)
	}
	enc := json.NewEncoder(f)
	for _, it := range items {
		a := it.Article
		enc.Encode(map[string]string{"id": string(a.ID), "title": a.Title, "text": strings.Join(a.Body, "\n\n"), "source": a.Source})
	}
	f.Close()
	bin := buildBinary(t, dir)
	embedded := filepath.Join(dir, "embedded")
	if out, err := exec.Command(bin, "ingest", "--db", embedded, input).CombinedOutput(); err != nil {
		t.Fatalf("embedded ingest: %v\n%s", err, out)
	}
	if out, err := exec.Command(bin, "ingest", "--queue", nats.URL, input).CombinedOutput(); err != nil || !strings.Contains(string(out), "queued 4500 articles") {
		t.Fatalf("ingest --queue: %v\n%s", err, out)
	}
	a := startWorker(t, bin, db, nats.URL, redis.URL())
	startWorker(t, bin, db, nats.URL, redis.URL())
	time.Sleep(3 * time.Second)
	a.Process.Signal(syscall.SIGKILL)
	a.Wait()
	s, err := postgres.OpenExisting(context.Background(), db, newsdedup.DefaultParams)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	n, _, _ := s.Counts(context.Background())
	t.Logf("worker killed with %d articles stored", n)
	startWorker(t, bin, db, nats.URL, redis.URL())
	deadline := time.Now().Add(5 * time.Minute)
	for n < len(items) && time.Now().Before(deadline) {
		time.Sleep(500 * time.Millisecond)
		n, _, _ = s.Counts(context.Background())
	}
	if n != len(items) {
		t.Fatalf("%d of %d articles stored after 5 minutes", n, len(items))
	}

	want, got := exportLines(t, embedded), exportLines(t, db)
	if len(got) != len(items) {
		t.Fatalf("export: %d articles, want %d", len(got), len(items))
	}
	_, wantFams := familySets(t, embedded)
	if st, gotFams := familySets(t, db); !slices.Equal(gotFams, wantFams) {
		t.Errorf("families differ from the embedded ingest's: %d against %d (%+v)", len(gotFams), len(wantFams), st)
	}
	// Stories: the embedded ingest's as gold.
	storyOf := map[string]string{}
	for _, l := range want {
		storyOf[l.ID] = l.Story
	}
	ids := map[string]int{}
	var pred []int
	var gold [][]string
	for _, l := range got {
		if _, ok := ids[l.Story]; !ok {
			ids[l.Story] = len(ids)
		}
		pred = append(pred, ids[l.Story])
		gold = append(gold, []string{storyOf[l.ID]})
	}
	m := eval.Score(pred, gold)
	t.Logf("stories against the embedded ingest's: pairwise P %.4f R %.4f F1 %.4f", m.Pairwise.Precision, m.Pairwise.Recall, m.Pairwise.F1)
	if m.Pairwise.F1 < 0.95 {
		t.Errorf("stories agree with the embedded ingest's at pairwise F1 %.4f, want ≥ 0.95", m.Pairwise.F1)
	}
}
