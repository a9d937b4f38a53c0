package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/newsdedup/newsdedup/store/postgres/pgtest"
)

// startServe starts "serve --db db" on a free port and returns its URL;
// the server is stopped when t ends.
func startServe(t *testing.T, bin, db string) string {
	t.Helper()
	cmd := exec.Command(bin, "serve", "--db", db, "--addr", "127.0.0.1:0", "--refresh", "200ms")
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
		if t.Failed() {
			t.Logf("serve --db %s said:\n%s", db, stderr.String())
		}
	})
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		t.Fatalf("serve printed no URL: %v", err)
	}
	return strings.TrimSpace(line)
}

// TestServeTwoOnOnePostgres runs two servers on one PostgreSQL store and
// posts the seeds to both, two each: each server then shows every
// article in one story, and the three versions and reprints of one
// report in one family, as one server given all four would.
func TestServeTwoOnOnePostgres(t *testing.T) {
	needSeeds(t)
	db := pgtest.DB(t)
	dir := t.TempDir()
	bin := buildBinary(t, dir)
	// Both make the schema at once: one waits for the other.
	servers := []string{startServe(t, bin, db), startServe(t, bin, db)}

	var seeds []map[string]any
	var stdout, stderr bytes.Buffer
	if code := Main(context.Background(), []string{"extract", "--format", "jsonl", seedsDir}, nil, &stdout, &stderr); code != 0 {
		t.Fatalf("extract: %s", stderr.String())
	}
	for _, line := range strings.Split(strings.TrimSpace(stdout.String()), "\n") {
		var l map[string]any
		if err := json.Unmarshal([]byte(line), &l); err != nil {
			t.Fatal(err)
		}
		seeds = append(seeds, map[string]any{"id": filepath.Base(l["input"].(string))[:3], "title": l["title"], "published": l["published"], "text": l["body"]})
	}
	// 000 and 003 to the first server, 001 and 002 to the second.
	for k, seed := range seeds {
		srv := servers[min(k%3, 1)]
		body, _ := json.Marshal(seed)
		resp, err := http.Post(srv+"/v1/articles", "application/json", bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusCreated {
			t.Fatalf("POST %s to %s: %s", seed["id"], srv, resp.Status)
		}
	}
	for _, srv := range servers {
		var got string
		deadline := time.Now().Add(10 * time.Second)
		for {
			got = storiesOf(t, srv)
			if got == "story of 000,001,002,003; family of 000,001,002 original 000" || time.Now().After(deadline) {
				break
			}
			time.Sleep(100 * time.Millisecond)
		}
		if got != "story of 000,001,002,003; family of 000,001,002 original 000" {
			t.Errorf("%s shows %s", srv, got)
		}
	}
}

// storiesOf describes what srv shows: its stories' members and the
// largest family of the first.
func storiesOf(t *testing.T, srv string) string {
	var list struct {
		Stories []struct {
			ID string `json:"id"`
		} `json:"stories"`
	}
	get(t, srv+"/v1/stories", &list)
	if len(list.Stories) != 1 {
		return fmt.Sprintf("%d stories", len(list.Stories))
	}
	var st struct {
		Articles []struct {
			ID string `json:"id"`
		} `json:"articles"`
		Families []struct {
			Original string   `json:"original"`
			Members  []string `json:"members"`
		} `json:"families"`
	}
	get(t, srv+"/v1/stories/"+list.Stories[0].ID, &st)
	var ids []string
	for _, a := range st.Articles {
		ids = append(ids, a.ID)
	}
	desc := "story of " + strings.Join(sorted(ids), ",")
	for _, f := range st.Families {
		if len(f.Members) > 1 {
			desc += fmt.Sprintf("; family of %s original %s", strings.Join(sorted(f.Members), ","), f.Original)
		}
	}
	return desc
}

func sorted(xs []string) []string {
	out := slices.Clone(xs)
	slices.Sort(out)
	return out
}

func get(t *testing.T, url string, v any) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
}
