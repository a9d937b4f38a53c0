package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"runtime/debug"
	"strings"
	"time"

	"github.com/newsdedup/newsdedup"
	"github.com/newsdedup/newsdedup/align"
	"github.com/newsdedup/newsdedup/ingest"
	"github.com/newsdedup/newsdedup/lsh/redislsh"
	"github.com/newsdedup/newsdedup/pipeline"
	"github.com/newsdedup/newsdedup/queue"
	"github.com/newsdedup/newsdedup/report"
	"github.com/newsdedup/newsdedup/store/bolt"
	"github.com/newsdedup/newsdedup/store/postgres"
)

// dbUsage is what --db takes.
const dbUsage = "store: a directory (the embedded store) or a postgres:// URL"

// openStore opens the store db names: a postgres:// or postgresql:// URL
// (credentials from the URL or the PG* environment variables), else the
// embedded store in directory db. Only with create does it make a store
// where there is none; a URL never makes local files.
func openStore(ctx context.Context, db string, create bool) (newsdedup.Store, error) {
	p := pipeline.DefaultConfig().Params
	if postgres.IsURL(db) {
		open := postgres.OpenExisting
		if create {
			open = postgres.Open
		}
		s, err := open(ctx, db, p)
		if errors.Is(err, postgres.ErrNoStore) {
			return nil, fmt.Errorf("%w: `newsdedup ingest --db %s PATH...` creates one", err, postgres.Redacted(db))
		}
		return s, err
	}
	if scheme, _, ok := strings.Cut(db, "://"); ok && !strings.ContainsAny(scheme, "/\\") {
		return nil, newsdedup.Errorf(newsdedup.EINVALID, "--db %s: a %s:// URL is not a store newsdedup knows (want a directory or a postgres:// URL)", printable(scheme+"://..."), printable(scheme))
	}
	open := bolt.OpenExisting
	if create {
		open = bolt.Open
	}
	s, err := open(db, p)
	if errors.Is(err, bolt.ErrNoStore) {
		return nil, fmt.Errorf("%w: `newsdedup ingest --db %s PATH...` creates one", err, db)
	}
	if err != nil {
		return nil, err
	}
	return s, nil
}

// openEngine opens the store db names and the engine over it. Only with
// create does it make a store where there is none.
func openEngine(ctx context.Context, db string, create bool) (*pipeline.Engine, func() error, error) {
	return openEngineWith(ctx, db, create, engineOptions{resident: pipeline.DefaultConfig().Resident})
}

// engineOptions are the engine's flags of the commands that place
// articles (ingest, serve, worker).
type engineOptions struct {
	index    string // a Redis Cluster's URL, or "" for the in-memory index
	resident int
}

// engineFlags defines --index and --resident on fs.
func engineFlags(fs *flag.FlagSet) *engineOptions {
	o := &engineOptions{}
	fs.StringVar(&o.index, "index", "", "shared candidate index: a Redis Cluster, redis://HOST:PORT[,HOST:PORT...] (default: in memory)")
	fs.IntVar(&o.resident, "resident", pipeline.DefaultConfig().Resident, "newest articles kept whole in memory; older ones' texts are read from the store when compared (0: all)")
	return o
}

// openEngineWith is openEngine with the options o.
func openEngineWith(ctx context.Context, db string, create bool, o engineOptions) (*pipeline.Engine, func() error, error) {
	cfg := pipeline.DefaultConfig()
	if o.resident < 0 {
		return nil, nil, newsdedup.Errorf(newsdedup.EINVALID, "--resident %d: want 0 (all) or more", o.resident)
	}
	cfg.Resident = o.resident
	if o.index != "" && !redislsh.IsURL(o.index) {
		return nil, nil, newsdedup.Errorf(newsdedup.EINVALID, "--index %s: want redis://HOST:PORT[,HOST:PORT...]", printable(redislsh.Redacted(o.index)))
	}
	s, err := openStore(ctx, db, create)
	if err != nil {
		return nil, nil, err
	}
	closeIndex := func() {}
	if o.index != "" {
		// The store's own part of the cluster: stores sharing it never
		// see each other's articles.
		ns := ""
		if id, ok := s.(newsdedup.Identified); ok {
			ns = id.StoreID()
		}
		idx, err := redislsh.Open(ctx, o.index, redislsh.Options{MaxPosting: cfg.MaxAnchorPosting, Namespace: ns})
		if err != nil {
			s.Close()
			return nil, nil, err
		}
		cfg.Index = idx
		closeIndex = func() { idx.Close() }
	}
	e, err := pipeline.Open(ctx, cfg, s)
	if err != nil {
		s.Close()
		closeIndex()
		return nil, nil, err
	}
	return e, func() error { closeIndex(); return s.Close() }, nil
}

// openDB parses "--db DIR [--format F] ARGS" for a store command whose
// argument count nargs accepts (want says what it wants), and opens the
// engine over the store.
func openDB(ctx context.Context, name string, args []string, formats []string, nargs func(int) bool, want string, stdout io.Writer) (*flag.FlagSet, string, *pipeline.Engine, func() error, error) {
	fs, db, format, err := dbFlags(name, args, formats, stdout)
	if err != nil {
		return nil, "", nil, nil, err
	}
	if !nargs(fs.NArg()) {
		return nil, "", nil, nil, usagef(name, "want %s, got %d argument%s", want, fs.NArg(), plural(fs.NArg()))
	}
	// Of these commands only ingest makes a store.
	e, closeStore, err := openEngine(ctx, *db, name == "ingest")
	if err != nil {
		return nil, "", nil, nil, err
	}
	return fs, *format, e, closeStore, nil
}

func some(n int) bool { return n > 0 }
func none(n int) bool { return n == 0 }
func two(n int) bool  { return n == 2 }

// count is n and the noun, singular (one) or plural (many) as n wants.
func count(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// plural is "s" unless n is 1.
func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// dbFlags parses "--db DIR [--format F] ARGS" for the store commands.
func dbFlags(name string, args []string, formats []string, stdout io.Writer) (*flag.FlagSet, *string, *string, error) {
	fs := newFlags(name)
	usage := dbUsage
	if name == "ingest" {
		usage += " (created if absent)"
	}
	db := fs.String("db", "", usage)
	format := fs.String("format", formats[0], "output format: "+strings.Join(formats, " or "))
	if err := parseFlags(fs, args, stdout); err != nil {
		return nil, nil, nil, err
	}
	if err := checkFormat(name, *format, formats...); err != nil {
		return nil, nil, nil, err
	}
	if *db == "" {
		return nil, nil, nil, usagef(name, "--db DIR or --db postgres://... is required")
	}
	return fs, db, format, nil
}

const ingestBatch = 256

func ingestCommand(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := newFlags("ingest")
	db := fs.String("db", "", dbUsage+" (created if absent)")
	qurl := fs.String("queue", "", "NATS server(s), nats://HOST:PORT[,...]: queue the articles for workers instead of storing them")
	fs.Var(new(memoryLimit), "memory-limit", memoryLimitUsage)
	eo := engineFlags(fs)
	format := fs.String("format", "text", "output format: text")
	if err := parseFlags(fs, args, stdout); err != nil {
		return err
	}
	if err := checkFormat("ingest", *format, "text"); err != nil {
		return err
	}
	switch {
	case *db == "" && *qurl == "":
		return usagef("ingest", "--db DIR, --db postgres://... or --queue nats://... is required")
	case *db != "" && *qurl != "":
		return usagef("ingest", "give --db or --queue, not both: workers store what is queued")
	case *qurl != "" && eo.index != "":
		return usagef("ingest", "--index goes with --db: the workers that store what is queued use it")
	case *qurl != "" && !queue.IsURL(*qurl):
		return usagef("ingest", "--queue %s: want nats://HOST:PORT", printable(queue.Redacted(*qurl)))
	case fs.NArg() == 0:
		return usagef("ingest", "want files, directories, URLs or - to store, got 0 arguments")
	}
	if *qurl != "" {
		return queueInputs(ctx, *qurl, fs.Args(), stdin, stdout, stderr)
	}
	e, closeStore, err := openEngineWith(ctx, *db, true, *eo)
	if err != nil {
		return err
	}
	defer closeStore()
	// The inputs are read on one goroutine while the articles read are
	// placed on this one, ingestBatch at a time: neither waits for the
	// other, and no more of the inputs is held than the batches in flight.
	rctx, stopReading := context.WithCancel(ctx)
	defer stopReading()
	chunks := make(chan []*newsdedup.Article, 4)
	var batch *ingest.Batch
	var readErr error
	go func() {
		defer close(chunks)
		var chunk []*newsdedup.Article
		send := func() {
			select {
			case chunks <- chunk:
			case <-rctx.Done():
			}
			chunk = nil
		}
		batch, readErr = readInputsTo(rctx, fs.Args(), stdin, stderr, func(a *newsdedup.Article) {
			if chunk = append(chunk, a); len(chunk) == ingestBatch {
				send()
			}
		})
		if len(chunk) > 0 && readErr == nil {
			send()
		}
	}()
	// stop ends the reading and waits for it.
	stop := func() {
		stopReading()
		for range chunks {
		}
	}
	added, existing, rejected, placed := 0, 0, 0, 0
	report := func(w io.Writer, lead string) {
		st := e.Stats()
		fmt.Fprintf(w, "%sstored %s (%d already stored", lead, count(added, "new article", "new articles"), existing)
		if rejected > 0 {
			fmt.Fprintf(w, ", %d refused", rejected)
		}
		fmt.Fprintf(w, "); the store holds %s, %s, %s, %s\n", count(st.Articles, "article", "articles"),
			count(st.Families, "family", "families"), count(st.Stories, "story", "stories"), count(st.Relations, "relation", "relations"))
	}
	// A batch's copies are found while the batch before is placed and
	// stored (Engine.IngestAll, which leaves the placements' families and
	// stories unmade: only the counts are reported).
	err = e.IngestAll(ctx, func() ([]*newsdedup.Article, bool) {
		arts, ok := <-chunks
		return arts, ok
	}, func(arts []*newsdedup.Article, pls []pipeline.Placement) error {
		placed += len(arts)
		for k, p := range pls {
			switch {
			case p.Err != nil:
				rejected++
				fmt.Fprintf(stderr, "newsdedup: not stored %s: %v\n", arts[k].Input, p.Err)
			case p.Existing:
				existing++
			default:
				added++
			}
		}
		return nil
	})
	if err == nil {
		err = ctx.Err()
	}
	if err != nil {
		stop()
		if ctx.Err() != nil {
			report(stderr, "newsdedup: interrupted; ")
		} else {
			report(stderr, fmt.Sprintf("newsdedup: stopped after %d articles read (the store is whole: run the same command again to go on); ", placed))
		}
		return err
	}
	if readErr != nil {
		if placed > 0 {
			report(stderr, "newsdedup: ")
		}
		return readErr
	}
	// What replay would rebuild, saved so that the next command opens
	// the store in seconds (only when enough is new since the last). The
	// garbage of placing is let go first: the snapshot's encoding on top
	// of it was the peak of memory (at 190k lines a heap of 1.8 GB, 1.0 GB
	// of it live).
	debug.FreeOSMemory()
	if _, err := e.SaveSnapshot(ctx, pipeline.SnapshotEvery); err != nil {
		fmt.Fprintf(stderr, "newsdedup: %v (the articles are stored; the store opens more slowly until a snapshot is saved)\n", err)
	}
	report(stdout, "")
	if rejected > 0 {
		if err := batchError(batch); err != nil {
			return fmt.Errorf("%d articles refused, and %w", rejected, err)
		}
		return fmt.Errorf("%d of %d articles refused", rejected, placed)
	}
	return batchError(batch)
}

func statsCommand(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	_, format, e, closeStore, err := openDB(ctx, "stats", args, []string{"text", "json"}, none, "no arguments", stdout)
	if err != nil {
		return err
	}
	defer closeStore()
	st := e.Stats()
	if format == "json" {
		return json.NewEncoder(stdout).Encode(st)
	}
	_, err = fmt.Fprintf(stdout, "articles  %d\nfamilies  %d\nstories   %d\nrelations %d\n", st.Articles, st.Families, st.Stories, st.Relations)
	return err
}

func placementJSON(p pipeline.Placement, input string) PlacementJSON {
	return report.NewPlacement(p.ID, input, p.Existing, p.Relations, p.Family, p.Story)
}

func queryCommand(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs, format, e, closeStore, err := openDB(ctx, "query", args, []string{"text", "json"}, some, "files, directories, URLs or - to place", stdout)
	if err != nil {
		return err
	}
	defer closeStore()
	batch, err := readInputs(ctx, fs.Args(), stdin, stderr)
	if err != nil {
		return err
	}
	var out []PlacementJSON
	for _, a := range batch.Articles {
		p, err := e.Query(ctx, a)
		if err != nil {
			return err
		}
		out = append(out, placementJSON(p, a.Input))
	}
	if format == "json" {
		if err := json.NewEncoder(stdout).Encode(out); err != nil {
			return err
		}
		return batchError(batch)
	}
	for _, p := range out {
		fmt.Fprintf(stdout, "%s  %s\n", printable(p.ID), printable(p.Input))
		if len(p.Family.Members) > 1 {
			fmt.Fprintf(stdout, "  family %s (original %s, %d members)\n", p.Family.ID, p.Family.Original, len(p.Family.Members))
		} else {
			fmt.Fprintln(stdout, "  no copy in the store")
		}
		for _, r := range p.Relations {
			fmt.Fprintf(stdout, "  %-14s %s  jaccard %.2f  containment %.2f\n", r.Kind, r.A, r.Jaccard, r.Containment)
		}
		if p.Story != nil {
			fmt.Fprintf(stdout, "  story %s  %s  (%s)\n", printable(p.Story.ID), printable(p.Story.Title), count(len(p.Story.Members), "article", "articles"))
		} else {
			fmt.Fprintln(stdout, "  would found a new story")
		}
	}
	return batchError(batch)
}

func storiesCommand(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("stories")
	db := fs.String("db", "", dbUsage)
	since := fs.String("since", "", "only stories with an article on or after DATE (YYYY-MM-DD)")
	format := fs.String("format", "text", "output format: text or json")
	if err := parseFlags(fs, args, stdout); err != nil {
		return err
	}
	if err := checkFormat("stories", *format, "text", "json"); err != nil {
		return err
	}
	var t time.Time
	if *since != "" {
		var err error
		if t, err = time.Parse("2006-01-02", *since); err != nil {
			return usagef("stories", "--since %q: want YYYY-MM-DD", *since)
		}
	}
	switch {
	case *db == "":
		return usagef("stories", "--db DIR or --db postgres://... is required")
	case fs.NArg() > 0:
		return usagef("stories", "takes no arguments, got %q", fs.Args())
	}
	e, closeStore, err := openEngine(ctx, *db, false)
	if err != nil {
		return err
	}
	defer closeStore()
	stories := e.Stories(t)
	if *format == "json" {
		out := struct {
			Stories []StoryJSON `json:"stories"`
		}{Stories: []StoryJSON{}}
		for _, s := range stories {
			out.Stories = append(out.Stories, report.NewStory(s))
		}
		return json.NewEncoder(stdout).Encode(out)
	}
	for _, s := range stories {
		span := "undated"
		if !s.First.IsZero() {
			span = s.First.Format("2006-01-02") + " – " + s.Last.Format("2006-01-02")
		}
		fmt.Fprintf(stdout, "%s  %4d %-8s  %s  %s\n", s.ID, len(s.Members), "article"+plural(len(s.Members)), span, printable(s.Title))
	}
	return nil
}

func diffCommand(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, format, e, closeStore, err := openDB(ctx, "diff", args, []string{"text", "json"}, two, "two article IDs", stdout)
	if err != nil {
		return err
	}
	defer closeStore()
	var bodies [2][]string
	for k, id := range fs.Args() {
		a, ok := e.Article(newsdedup.ArticleID(id))
		if !ok {
			return newsdedup.Errorf(newsdedup.ENOTFOUND, "no article %s in the store", id)
		}
		bodies[k] = a.Body
	}
	ps := align.Diff(newsdedup.DefaultParams, bodies[0], bodies[1])
	if format == "json" {
		return json.NewEncoder(stdout).Encode(struct {
			A        string          `json:"a"`
			B        string          `json:"b"`
			Passages []align.Passage `json:"passages"`
		}{fs.Arg(0), fs.Arg(1), ps})
	}
	for _, p := range ps {
		switch p.Op {
		case align.Kept:
			fmt.Fprintf(stdout, "  %s\n\n", p.B)
		case align.Added:
			fmt.Fprintf(stdout, "+ %s\n\n", p.B)
		case align.Removed:
			fmt.Fprintf(stdout, "- %s\n\n", p.A)
		case align.Changed:
			var b strings.Builder
			for _, w := range p.Words {
				switch w.Op {
				case align.Added:
					fmt.Fprintf(&b, "{+%s+}", strings.TrimSpace(w.Text)+" ")
				case align.Removed:
					fmt.Fprintf(&b, "[-%s-]", strings.TrimSpace(w.Text)+" ")
				default:
					b.WriteString(w.Text)
				}
			}
			fmt.Fprintf(stdout, "~ %s\n\n", b.String())
		}
	}
	return nil
}

// queueInputs reads the inputs and puts their articles on the queue at
// servers, returning once JetStream has acknowledged each.
func queueInputs(ctx context.Context, servers string, paths []string, stdin io.Reader, stdout, stderr io.Writer) error {
	q, err := queue.Open(ctx, servers, queue.Options{})
	if err != nil {
		return err
	}
	defer q.Close()
	batch, err := readInputs(ctx, paths, stdin, stderr)
	if err != nil {
		return err
	}
	queued, dups, refused := 0, 0, 0
	for start := 0; start < len(batch.Articles); start += ingestBatch {
		arts := batch.Articles[start:min(start+ingestBatch, len(batch.Articles))]
		pub, err := q.Publish(ctx, arts)
		queued, dups = queued+pub.Queued, dups+pub.Duplicates
		for k, rerr := range pub.Refused {
			if rerr != nil {
				refused++
				fmt.Fprintf(stderr, "newsdedup: not queued %s: %v\n", printable(arts[k].Input), rerr)
			}
		}
		if err != nil {
			fmt.Fprintf(stderr, "newsdedup: stopped with %d of %d articles queued (run the same command again to go on: articles queued twice are stored once)\n", queued+dups, len(batch.Articles))
			return err
		}
	}
	fmt.Fprintf(stdout, "queued %s on %s", count(queued, "article", "articles"), queue.Redacted(servers))
	if dups > 0 {
		fmt.Fprintf(stdout, " (%d more were queued already in the last 10 minutes: not queued again)", dups)
	}
	fmt.Fprintln(stdout)
	if refused > 0 {
		if err := batchError(batch); err != nil {
			return fmt.Errorf("%d articles refused, and %w", refused, err)
		}
		return fmt.Errorf("%d of %d articles refused", refused, len(batch.Articles))
	}
	return batchError(batch)
}
