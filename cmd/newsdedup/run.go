package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/newsdedup/newsdedup"
	"github.com/newsdedup/newsdedup/ingest"
	"github.com/newsdedup/newsdedup/internal/par"
	"github.com/newsdedup/newsdedup/pipeline"
	"github.com/newsdedup/newsdedup/report"
)

func runCommand(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := newFlags("run")
	fs.Var(new(memoryLimit), "memory-limit", memoryLimitUsage)
	format := fs.String("format", "text", "output format: text or json")
	events := fs.Bool("events", false, eventsUsage)
	if err := parseFlags(fs, args, stdout); err != nil {
		return err
	}
	if err := checkFormat("run", *format, "text", "json"); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return usagef("run", "no input: name files, directories, URLs or - for stdin")
	}
	batch, err := readInputs(ctx, fs.Args(), stdin, stderr)
	if err != nil {
		return err
	}
	cfg := pipeline.DefaultConfig()
	if *events {
		cfg.Story = cfg.Story.WithEvents()
	}
	res := pipeline.Run(cfg, batch.Articles)
	if *format == "json" {
		err = writeJSON(stdout, res)
	} else {
		err = writeText(stdout, res)
	}
	if err != nil {
		return err
	}
	return batchError(batch)
}

// readInputs reads paths, reporting each bad input on stderr.
// An interrupt (ctx done) stops the reading: the error is then ctx's, and
// stderr says how far the reading went.
func readInputs(ctx context.Context, paths []string, stdin io.Reader, stderr io.Writer) (*ingest.Batch, error) {
	return readInputsTo(ctx, paths, stdin, stderr, nil)
}

// readInputsTo is readInputs handing each article to emit, if not nil, as
// it is read (ingest.Options.Emit) instead of keeping it in the batch.
func readInputsTo(ctx context.Context, paths []string, stdin io.Reader, stderr io.Writer, emit func(*newsdedup.Article)) (*ingest.Batch, error) {
	opts := ingest.Options{Stdin: stdin, Context: ctx, Emit: emit}
	p := newProgress(stderr)
	if p != nil {
		opts.Progress = p.update
	}
	batch := ingest.ReadWith(paths, opts)
	if p != nil {
		p.done()
	}
	for _, err := range batch.Errors {
		fmt.Fprintf(stderr, "newsdedup: skipped %v\n", err)
	}
	for k, d := range batch.Duplicates {
		if k == 10 {
			fmt.Fprintf(stderr, "newsdedup: … and %d more inputs that repeat an article read before\n", len(batch.Duplicates)-k)
			break
		}
		fmt.Fprintf(stderr, "newsdedup: %s\n", d)
	}
	if len(batch.Skipped) > 0 {
		fmt.Fprintf(stderr, "newsdedup: ignored %s of other types (name a file to read it anyway)\n", count(len(batch.Skipped), "file", "files"))
	}
	if batch.Interrupted {
		if emit != nil && batch.Emitted > 0 {
			// The caller says what became of those read.
			fmt.Fprintf(stderr, "newsdedup: interrupted while reading the inputs (%s read)\n", count(batch.Emitted, "article", "articles"))
			return batch, ctx.Err()
		}
		fmt.Fprintf(stderr, "newsdedup: interrupted while reading the inputs (%s read); nothing was stored\n", count(len(batch.Articles), "article", "articles"))
		return batch, ctx.Err()
	}
	return batch, nil
}

// batchError is the error of a command whose batch had bad inputs.
func batchError(batch *ingest.Batch) error {
	if len(batch.Errors) > 0 {
		return fmt.Errorf("%d of %d inputs could not be read", len(batch.Errors), len(batch.Errors)+len(batch.Articles)+batch.Emitted)
	}
	return nil
}

// Report is the JSON form of a run.
type Report struct {
	Articles  []ArticleJSON  `json:"articles"`
	Relations []RelationJSON `json:"relations"`
	Families  []FamilyJSON   `json:"families"`
	Stories   []StoryJSON    `json:"stories"`
}

// The JSON shapes are package report's, the same as the API's.
type (
	ArticleJSON   = report.Article
	RelationJSON  = report.Relation
	FamilyJSON    = report.Family
	StoryJSON     = report.Story
	PlacementJSON = report.Placement
)

// timeJSON returns t in RFC 3339, or nil when it is zero.
func timeJSON(t time.Time) *string {
	if t.IsZero() {
		return nil
	}
	s := t.Format(time.RFC3339)
	return &s
}

// NewReport converts a pipeline result to its JSON form.
func NewReport(res *pipeline.Result) Report {
	r := Report{Articles: []ArticleJSON{}, Relations: report.NewRelations(res.Relations), Families: []FamilyJSON{}, Stories: []StoryJSON{}}
	for i, a := range res.Articles {
		r.Articles = append(r.Articles, newArticleJSON(res, i, a))
	}
	for _, f := range res.Families {
		r.Families = append(r.Families, report.NewFamily(f))
	}
	for _, s := range res.Stories {
		r.Stories = append(r.Stories, report.NewStory(s))
	}
	return r
}

// newArticleJSON returns the JSON form of a, the i-th article of res.
func newArticleJSON(res *pipeline.Result, i int, a *newsdedup.Article) ArticleJSON {
	return ArticleJSON{
		ID: string(a.ID), Input: a.Input, URL: a.URL, Title: a.Title, Source: a.Source, Lang: a.Lang,
		Published: report.Time(a.Published), Body: a.Text(), Words: res.Prints[i].Tokens, Credits: a.Credits,
	}
}

// writeJSON writes the JSON form of a run, as json.Encoder would write
// NewReport(res), one element at a time: the report of 190,000 articles
// is some 230 MB, which neither it nor a copy of every body is held for.
func writeJSON(w io.Writer, res *pipeline.Result) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	sections := []struct {
		head string
		n    int
		item func(i int) any
	}{
		{`{"articles":[`, len(res.Articles), func(i int) any { return newArticleJSON(res, i, res.Articles[i]) }},
		{`],"relations":[`, len(res.Relations), func(i int) any { return report.NewRelation(res.Relations[i]) }},
		{`],"families":[`, len(res.Families), func(i int) any { return report.NewFamily(res.Families[i]) }},
		{`],"stories":[`, len(res.Stories), func(i int) any { return report.NewStory(res.Stories[i]) }},
	}
	for _, s := range sections {
		if _, err := bw.WriteString(s.head); err != nil {
			return err
		}
		if err := writeItems(bw, s.n, s.item); err != nil {
			return err
		}
	}
	if _, err := bw.WriteString("]}\n"); err != nil {
		return err
	}
	return bw.Flush()
}

// writeItems writes the JSON of n items, separated by commas, marshalled on
// every core a block at a time and written in order.
func writeItems(w io.Writer, n int, item func(i int) any) error {
	const block = 4096
	bufs := make([][]byte, min(block, n))
	errs := make([]error, len(bufs))
	for lo := 0; lo < n; lo += block {
		m := min(block, n-lo)
		par.For(0, m, 1, func(k int) { bufs[k], errs[k] = json.Marshal(item(lo + k)) })
		for k := range m {
			if errs[k] != nil {
				return errs[k]
			}
			if lo+k > 0 {
				if _, err := w.Write([]byte{','}); err != nil {
					return err
				}
			}
			if _, err := w.Write(bufs[k]); err != nil {
				return err
			}
		}
	}
	return nil
}

// writeText prints a report a person reads: each story with its families
// (original first, then each copy with its kind and scores) and its
// independent articles.
func writeText(w io.Writer, res *pipeline.Result) error {
	byID := make(map[newsdedup.ArticleID]*newsdedup.Article, len(res.Articles))
	for _, a := range res.Articles {
		byID[a.ID] = a
	}
	famOf := make(map[newsdedup.ArticleID]*newsdedup.Family)
	for i := range res.Families {
		for _, m := range res.Families[i].Members {
			famOf[m] = &res.Families[i]
		}
	}
	relOf := make(map[[2]newsdedup.ArticleID]newsdedup.Relation)
	joined := make(map[newsdedup.ArticleID]newsdedup.Relation) // B -> its same_story relation
	for _, r := range res.Relations {
		if r.Kind == newsdedup.KindSameStory {
			joined[r.B] = r
			continue
		}
		relOf[[2]newsdedup.ArticleID{r.A, r.B}] = r
		relOf[[2]newsdedup.ArticleID{r.B, r.A}] = r
	}
	// why says why an article joined its story by similarity, if it did.
	why := func(id newsdedup.ArticleID) string {
		r, ok := joined[id]
		if !ok {
			return ""
		}
		var terms []string
		if r.Evidence != nil {
			for _, t := range r.Evidence.Terms {
				terms = append(terms, t.Term)
			}
		}
		line := fmt.Sprintf("              same story as %s  score %.2f", r.A, r.Score)
		if len(terms) > 0 {
			line += "  shared: " + strings.Join(terms, ", ")
		}
		if r.Evidence != nil && len(r.Evidence.Entities) > 0 {
			var ents []string
			for _, t := range r.Evidence.Entities {
				ents = append(ents, fmt.Sprintf("%s (%.2f)", t.Term, t.Weight))
			}
			line += "  names and facts: " + strings.Join(ents, ", ")
		}
		if r.Evidence != nil && len(r.Evidence.Conflicts) > 0 {
			line += "  outweighed: " + conflictText(r.Evidence.Conflicts)
		}
		return printable(line) + "\n"
	}
	label := func(a *newsdedup.Article) string {
		t := a.Title
		if t == "" {
			t = "(no title)"
		}
		d := "undated"
		if !a.Published.IsZero() {
			d = a.Published.Format("2006-01-02")
		}
		return printable(fmt.Sprintf("%s  %s  [%s, %s]", a.ID, t, a.Input, d))
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s, %s, %s\n", count(len(res.Articles), "article", "articles"), count(len(res.Families), "copy family", "copy families"), count(len(res.Stories), "story", "stories"))
	for _, s := range res.Stories {
		title := s.Title
		if title == "" {
			title = "(untitled)"
		}
		fmt.Fprintf(&b, "\nSTORY %s  %s  (%s)\n", printable(s.ID), printable(title), count(len(s.Members), "article", "articles"))
		done := make(map[string]bool)
		for _, m := range s.Members {
			f := famOf[m]
			if done[f.ID] {
				continue
			}
			done[f.ID] = true
			if len(f.Members) == 1 {
				fmt.Fprintf(&b, "  single    %s\n%s", label(byID[m]), why(m))
				continue
			}
			fmt.Fprintf(&b, "  family %s (the original and %s)\n", f.ID, count(len(f.Members)-1, "copy", "copies"))
			fmt.Fprintf(&b, "    original  %s\n%s", label(byID[f.Original]), why(f.Original))
			for _, c := range f.Members[1:] {
				r, ok := relOf[[2]newsdedup.ArticleID{f.Original, c}]
				kind := "copy (via another member)"
				if ok {
					kind = fmt.Sprintf("%s  jaccard %.2f  containment %.2f", r.Kind, r.Jaccard, r.Containment)
				}
				fmt.Fprintf(&b, "    copy      %s\n              %s\n", label(byID[c]), kind)
				// A version of another member (an update of a page at one
				// URL) is shown as such: the family's provenance.
				for _, o := range f.Members[1:slices.Index(f.Members, c)] {
					if r, ok := relOf[[2]newsdedup.ArticleID{o, c}]; ok && r.Kind == newsdedup.KindVersion {
						fmt.Fprintf(&b, "              version of %s  jaccard %.2f  containment %.2f\n", o, r.Jaccard, r.Containment)
					}
				}
			}
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// conflictText renders the conflicts of a same_story relation's evidence:
// "men 4 vs 5; lead names: fred larue".
func conflictText(cs []newsdedup.Conflict) string {
	var parts []string
	for _, c := range cs {
		if len(c.Story) > 0 {
			parts = append(parts, fmt.Sprintf("%s %s vs %s", c.What, strings.Join(c.Article, "/"), strings.Join(c.Story, "/")))
		} else {
			parts = append(parts, fmt.Sprintf("%s: %s", c.What, strings.Join(c.Article, ", ")))
		}
	}
	return strings.Join(parts, "; ")
}

// eventsUsage is the help of --events, a flag of run and eval.
const eventsUsage = "weigh event evidence (numbers, people, streets and weekdays stated in the lead, the same days) in full everywhere; by default it weighs in full only where the article or its story is undated and at half weight where both are dated (see the README)"
