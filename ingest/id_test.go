package ingest_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/newsdedup/newsdedup"
	"github.com/newsdedup/newsdedup/ingest"
)

func TestNewIDIsURLAndContent(t *testing.T) {
	a := &newsdedup.Article{URL: "https://news.example/a", Title: "Budget passes", Body: []string{"The council approved the budget."}}
	b := &newsdedup.Article{URL: a.URL, Title: a.Title, Body: []string{"The council approved the budget.", "The mayor welcomed the vote."}}
	c := &newsdedup.Article{URL: a.URL, Title: a.Title, Body: []string{"The  council approved the BUDGET."}, Input: "elsewhere"}
	d := &newsdedup.Article{URL: "https://other.example/a", Title: a.Title, Body: a.Body}
	if ingest.NewID(a) == ingest.NewID(b) {
		t.Error("a new text at the same URL has the same ID")
	}
	if ingest.NewID(a) != ingest.NewID(c) {
		t.Error("the same text (folded) at the same URL, read from another input, has another ID")
	}
	if ingest.NewID(a) == ingest.NewID(d) {
		t.Error("the same text at another URL has the same ID")
	}
}

// The same files read under two spellings of their path are the same
// articles.
func TestIDsIgnoreHowThePathIsSpelled(t *testing.T) {
	dir := t.TempDir()
	for name, text := range map[string]string{
		"one.txt": "Budget passes\n\nThe council approved the budget on Tuesday after a long debate.\n\nThe mayor welcomed the vote.",
		"two.txt": "Storm hits coast\n\nA storm hit the coast on Monday, closing schools and cutting power to thousands.",
	} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	wd, _ := os.Getwd()
	defer os.Chdir(wd)
	if err := os.Chdir(filepath.Dir(dir)); err != nil {
		t.Fatal(err)
	}
	rel := ingest.Read([]string{filepath.Base(dir)})
	abs := ingest.Read([]string{dir + string(filepath.Separator) + "."})
	if len(rel.Articles) != 2 || len(abs.Articles) != 2 {
		t.Fatalf("read %d and %d articles, want 2 and 2 (errors %v %v)", len(rel.Articles), len(abs.Articles), rel.Errors, abs.Errors)
	}
	ids := map[newsdedup.ArticleID]bool{}
	for _, a := range rel.Articles {
		ids[a.ID] = true
	}
	for _, a := range abs.Articles {
		if !ids[a.ID] {
			t.Errorf("%s has ID %s read by its absolute path, another read by its relative path", a.Input, a.ID)
		}
	}
}

// An article read twice in one batch is read once and named; a JSON id
// given to two texts is an error naming the id and both lines.
func TestBatchDuplicatesAndConflicts(t *testing.T) {
	dir := t.TempDir()
	text := "Budget passes\n\nThe council approved the budget on Tuesday after a long debate.\n\nThe mayor welcomed the vote."
	for _, name := range []string{"a.txt", "copy-of-a.txt"} {
		os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644)
	}
	jl := filepath.Join(dir, "feed.jsonl")
	os.WriteFile(jl, []byte(`{"id":"r1","text":"The council approved the budget on Tuesday after a long debate."}
{"id":"r1","text":"The council approved the budget on Tuesday after a long debate."}
{"id":"r1","text":"A storm hit the coast on Monday, closing schools and cutting power."}
`), 0o644)
	kept := ingest.Read([]string{dir})
	// A batch that hands its articles on as they are read tells them alike.
	var emitted []*newsdedup.Article
	handed := ingest.ReadWith([]string{dir}, ingest.Options{Emit: func(a *newsdedup.Article) { emitted = append(emitted, a) }})
	for name, b := range map[string]*ingest.Batch{"kept": kept, "emitted": handed} {
		arts := b.Articles
		if b == handed {
			if len(arts) != 0 || b.Emitted != len(emitted) {
				t.Errorf("%s: %d articles kept, %d emitted, Emitted %d; want none kept", name, len(arts), len(emitted), b.Emitted)
			}
			arts = emitted
		}
		if len(arts) != 2 {
			t.Errorf("%s: %d articles, want 2 (the text file once, r1 once)", name, len(arts))
		}
		if len(b.Duplicates) != 2 {
			t.Errorf("%s: duplicates %q, want the text file's copy and r1's second line", name, b.Duplicates)
		}
		if len(b.Errors) != 1 || !strings.Contains(b.Errors[0].Error(), "r1") || !strings.Contains(b.Errors[0].Error(), "feed.jsonl:3") ||
			newsdedup.ErrorCode(b.Errors[0]) != newsdedup.ECONFLICT {
			t.Errorf("%s: errors %v, want one conflict naming r1 and feed.jsonl:3", name, b.Errors)
		}
	}
}

// A done context stops the reading between inputs and marks the batch.
func TestReadStopsWhenCancelled(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"a.txt", "b.txt"} {
		os.WriteFile(filepath.Join(dir, name), []byte("Budget passes\n\nThe council approved the budget on Tuesday after a long debate."), 0o644)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	b := ingest.ReadWith([]string{dir, dir}, ingest.Options{Context: ctx})
	if !b.Interrupted || len(b.Articles) != 0 {
		t.Errorf("interrupted %v, %d articles; want an interrupted batch with none", b.Interrupted, len(b.Articles))
	}
}

// A link to a file in a walked folder is read; a link to a folder is named
// among the ignored files, not dropped unsaid.
func TestWalkFollowsFileLinks(t *testing.T) {
	dir, other := t.TempDir(), t.TempDir()
	target := filepath.Join(other, "a.txt")
	os.WriteFile(target, []byte("Budget passes\n\nThe council approved the budget on Tuesday after a long debate."), 0o644)
	if err := os.Symlink(target, filepath.Join(dir, "linked.txt")); err != nil {
		t.Skip(err)
	}
	os.Symlink(other, filepath.Join(dir, "linkeddir"))
	b := ingest.Read([]string{dir})
	if len(b.Articles) != 1 || len(b.Skipped) != 1 {
		t.Errorf("%d articles, skipped %q; want the linked file read and the linked folder named", len(b.Articles), b.Skipped)
	}
}
