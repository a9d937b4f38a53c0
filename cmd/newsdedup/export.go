package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"time"

	"github.com/newsdedup/newsdedup"
	"github.com/newsdedup/newsdedup/report"
)

// ExportLine is one article of `export --format jsonl`.
type ExportLine struct {
	ID        string     `json:"id"`
	Input     string     `json:"input,omitempty"` // the path, URL or record it was read from
	URL       string     `json:"url"`
	Source    string     `json:"source"`
	Title     string     `json:"title"`
	Published *time.Time `json:"published"`
	Lang      string     `json:"lang,omitempty"`
	Family    string     `json:"family"`
	Original  string     `json:"original"`
	// Kind is the stored copy relation between the article and its
	// family's original, absent for the original itself and for a copy
	// related to the original only through other members.
	Kind  string `json:"kind,omitempty"`
	Story string `json:"story"`
}

// copyStrength orders the copy kinds, strongest first.
var copyStrength = map[newsdedup.Kind]int{
	newsdedup.KindExact: 5, newsdedup.KindNearDuplicate: 4, newsdedup.KindVersion: 3,
	newsdedup.KindReprint: 2, newsdedup.KindPartialReuse: 1,
}

func exportCommand(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	_, _, e, closeStore, err := openDB(ctx, "export", args, []string{"jsonl"}, none, "no arguments", stdout)
	if err != nil {
		return err
	}
	defer closeStore()
	type place struct{ family, original, story string }
	where := make(map[newsdedup.ArticleID]place, e.Stats().Articles)
	for _, f := range e.Families() {
		for _, m := range f.Members {
			where[m] = place{family: f.ID, original: string(f.Original)}
		}
	}
	for _, st := range e.Stories(time.Time{}) {
		for _, m := range st.Members {
			p := where[m]
			p.story = st.ID
			where[m] = p
		}
	}
	// The kind of each copy's relation to its original, in one pass over
	// the relations.
	kind := make(map[newsdedup.ArticleID]newsdedup.Kind)
	err = e.Store().EachRelation(ctx, func(r newsdedup.Relation) error {
		for _, pair := range [2][2]newsdedup.ArticleID{{r.A, r.B}, {r.B, r.A}} {
			x, orig := pair[0], pair[1]
			if p, ok := where[x]; ok && p.original == string(orig) && x != orig && copyStrength[r.Kind] > copyStrength[kind[x]] {
				kind[x] = r.Kind
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	w := bufio.NewWriter(stdout)
	enc := json.NewEncoder(w)
	n, later := 0, 0
	err = e.Store().Each(ctx, func(r *newsdedup.Record) error {
		a := &r.Article
		p, ok := where[a.ID]
		if !ok {
			// Stored by another process after this one opened the store:
			// the next export has it, and stderr says so.
			later++
			return nil
		}
		n++
		return enc.Encode(ExportLine{ID: string(a.ID), Input: a.Input, URL: a.URL, Source: a.Source, Title: a.Title, Published: report.Time(a.Published),
			Lang: a.Lang, Family: p.family, Original: p.original, Kind: string(kind[a.ID]), Story: p.story})
	})
	if err != nil {
		return err
	}
	if err := w.Flush(); err != nil {
		return err
	}
	if later > 0 {
		fmt.Fprintf(stderr, "newsdedup: %s stored by another process while this export ran %s not in it: export again to have them\n",
			count(later, "article", "articles"), map[bool]string{true: "is", false: "are"}[later == 1])
	}
	if n != len(where) {
		return fmt.Errorf("exported %d of %d articles: the store lost some while it was read", n, len(where))
	}
	return nil
}
