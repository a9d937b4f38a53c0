package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// page is a news page at url with paragraphs, as a site serves it.
func page(url, title string, paras ...string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "<!doctype html><html><head><title>%s</title><link rel=\"canonical\" href=\"%s\"></head><body><article><h1>%s</h1>", title, url, title)
	for _, p := range paras {
		fmt.Fprintf(&b, "<p>%s</p>", p)
	}
	b.WriteString("</article></body></html>")
	return b.String()
}

var monday = []string{
	"The city council approved a new budget for the coming year on Tuesday evening after a debate that lasted more than six hours.",
	"The plan raises spending on schools by four percent and sets aside money to repair the bridges on the east side of the river.",
	"Opponents said the plan relies on a tax increase that the state legislature has not yet approved and may never approve.",
}

// A page crawled on Monday and again on Tuesday with a new paragraph is two
// articles, the second a version of the first; the same page read twice
// is stored once.
func TestUpdatedPageAtSameURL(t *testing.T) {
	dir := t.TempDir()
	url := "https://news.example/2024/budget"
	tuesday := append(append([]string{}, monday...), "On Wednesday the mayor signed the budget into law, saying the bridges could not wait another winter.")
	os.WriteFile(filepath.Join(dir, "monday.html"), []byte(page(url, "Council passes budget", monday...)), 0o644)
	os.WriteFile(filepath.Join(dir, "tuesday.html"), []byte(page(url, "Council passes budget", tuesday...)), 0o644)

	var rep Report
	if err := json.Unmarshal([]byte(run(t, 0, "run", "--format", "json", dir)), &rep); err != nil {
		t.Fatal(err)
	}
	if len(rep.Articles) != 2 {
		t.Fatalf("run kept %d articles of 2 captures of one URL", len(rep.Articles))
	}
	if len(rep.Relations) == 0 || rep.Relations[0].Kind != "version" {
		t.Errorf("run: relations %+v, want a version", rep.Relations)
	}

	db := t.TempDir()
	run(t, 0, "ingest", "--db", db, filepath.Join(dir, "monday.html"))
	if out := run(t, 0, "ingest", "--db", db, filepath.Join(dir, "tuesday.html")); !strings.Contains(out, "stored 1 new article (0 already stored)") {
		t.Errorf("ingest of the update: %s", out)
	}
	if out := run(t, 0, "ingest", "--db", db, dir); !strings.Contains(out, "stored 0 new articles (2 already stored)") {
		t.Errorf("re-ingest: %s", out)
	}
	var q []PlacementJSON
	if err := json.Unmarshal([]byte(run(t, 0, "query", "--db", db, "--format", "json", filepath.Join(dir, "tuesday.html"))), &q); err != nil || len(q) != 1 {
		t.Fatal(err)
	}
	if len(q[0].Family.Members) != 2 {
		t.Errorf("family %+v, want both captures", q[0].Family)
	}
	if out := run(t, 0, "diff", "--db", db, q[0].Family.Original, q[0].ID); !strings.Contains(out, "+ On Wednesday the mayor signed") {
		t.Errorf("diff lacks the added paragraph:\n%s", out)
	}
}

// A JSON record's id given to another text is refused with an error naming
// the id, and the exit code says so.
func TestRepeatedJSONLID(t *testing.T) {
	dir := t.TempDir()
	f := filepath.Join(dir, "a.jsonl")
	os.WriteFile(f, []byte(`{"id":"r1","text":"`+monday[0]+`"}
{"id":"r1","text":"`+monday[1]+`"}
`), 0o644)
	var out, errb bytes.Buffer
	if code := Main(context.Background(), []string{"run", f}, nil, &out, &errb); code != 1 || !strings.Contains(errb.String(), "id r1") || !strings.Contains(errb.String(), "a.jsonl:2") {
		t.Errorf("run: exit %d, stderr %q; want 1 and an error naming r1 at a.jsonl:2", code, errb.String())
	}
	db := t.TempDir()
	run(t, 1, "ingest", "--db", db, f)
	f2 := filepath.Join(dir, "b.jsonl")
	os.WriteFile(f2, []byte(`{"id":"r1","text":"`+monday[2]+`"}`+"\n"), 0o644)
	errb.Reset()
	if code := Main(context.Background(), []string{"ingest", "--db", db, f2}, nil, &out, &errb); code != 1 || !strings.Contains(errb.String(), "r1") {
		t.Errorf("ingest of a stored id with another text: exit %d, stderr %q", code, errb.String())
	}
}

// Interrupted, ingest says what it stored.
func TestIngestInterrupted(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "a.txt"), []byte(strings.Join(monday, "\n\n")), 0o644)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var out, errb bytes.Buffer
	code := Main(ctx, []string{"ingest", "--db", t.TempDir(), dir}, nil, &out, &errb)
	if code != 130 || !strings.Contains(errb.String(), "nothing was stored") || !strings.Contains(errb.String(), "interrupted") || strings.Contains(errb.String(), "context canceled") {
		t.Errorf("exit %d, stderr %q; want 130 and what was stored, once", code, errb.String())
	}
}

// Control characters from the inputs (terminal escapes, bidi overrides)
// are shown escaped in text output, never sent raw. (A NUL, or an id with
// a control character, is refused when read, as the store would.)
func TestTextOutputEscapesControls(t *testing.T) {
	dir := t.TempDir()
	f := filepath.Join(dir, "esc.jsonl")
	os.WriteFile(f, []byte(`{"id":"ex","title":"\u001b[31mRED\u001b]0;pwned\u0007 \u202etitle","text":"`+monday[0]+`"}`+"\n"), 0o644)
	out := run(t, 0, "run", f)
	if strings.ContainsAny(out, "\x1b\x00\x07\u202e") {
		t.Errorf("raw control characters in %q", out)
	}
	if !strings.Contains(out, `\u001b[31mRED`) {
		t.Errorf("escaped title missing from %q", out)
	}
}

// A capture whose address differs by tracking parameters, a fragment or
// the host's case is of the same page: a version of it.
func TestTrackingParamsSameLineage(t *testing.T) {
	dir := t.TempDir()
	tuesday := append(append([]string{}, monday...), "On Wednesday the mayor signed the budget into law, saying the bridges could not wait another winter.")
	os.WriteFile(filepath.Join(dir, "a.html"), []byte(page("https://news.example/2024/budget", "Council passes budget", monday...)), 0o644)
	os.WriteFile(filepath.Join(dir, "b.html"), []byte(page("https://News.Example/2024/budget?utm_source=feed&utm_medium=rss#top", "Council passes budget", tuesday...)), 0o644)
	var rep Report
	if err := json.Unmarshal([]byte(run(t, 0, "run", "--format", "json", dir)), &rep); err != nil {
		t.Fatal(err)
	}
	if len(rep.Articles) != 2 || rep.Articles[0].URL != rep.Articles[1].URL || len(rep.Relations) == 0 || rep.Relations[0].Kind != "version" {
		t.Errorf("articles %d (URLs %q, %q), relations %+v; want two captures of one page, a version", len(rep.Articles), rep.Articles[0].URL, rep.Articles[len(rep.Articles)-1].URL, rep.Relations)
	}
}
