package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"time"

	"github.com/newsdedup/newsdedup/httpapi"
	"github.com/newsdedup/newsdedup/pipeline"
	"github.com/newsdedup/newsdedup/store/postgres"
)

// snapshotLoop saves a snapshot of the engine every interval until ctx
// ends, when enough was stored since the last.
func snapshotLoop(ctx context.Context, e *pipeline.Engine, interval time.Duration, logger *slog.Logger) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			saveSnapshot(ctx, e, pipeline.SnapshotEvery, logger)
		}
	}
}

// saveSnapshot saves a snapshot if every articles were stored since the
// last, logging what it did.
func saveSnapshot(ctx context.Context, e *pipeline.Engine, every int, logger *slog.Logger) {
	start := time.Now()
	ok, err := e.SaveSnapshot(ctx, every)
	switch {
	case err != nil:
		logger.Warn("cannot save a snapshot (the store opens more slowly until one is saved)", "err", err.Error())
	case ok:
		logger.Info("snapshot saved", "articles", e.Stats().Articles, "took", time.Since(start).String())
	}
}

// refreshLoop reads, every interval until ctx ends, what other processes
// stored, logging failures (the next tick tries again).
func refreshLoop(ctx context.Context, e *pipeline.Engine, interval time.Duration, logger *slog.Logger) {
	t := time.NewTicker(interval)
	defer t.Stop()
	failing := false
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		n, err := e.Refresh(ctx)
		switch {
		case err != nil && ctx.Err() == nil:
			if !failing {
				logger.Warn("cannot read the store; retrying", "err", err.Error())
			}
			failing = true
		case err == nil:
			if failing {
				logger.Info("reading the store again")
			}
			failing = false
			if n > 0 {
				logger.Info("read what other servers stored", "articles", n)
			}
		}
	}
}

func serveCommand(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("serve")
	db := fs.String("db", "", dbUsage+" (created if absent)")
	refresh := fs.Duration("refresh", time.Second, "with a postgres:// store, how often to read what other servers stored")
	addr := fs.String("addr", "127.0.0.1:8080", "address to listen on, HOST:PORT")
	tokenFile := fs.String("token-file", "", "file holding a bearer token that writes must present")
	eo := engineFlags(fs)
	if err := parseFlags(fs, args, stdout); err != nil {
		return err
	}
	if *db == "" {
		return usagef("serve", "--db DIR or --db postgres://... is required")
	}
	if fs.NArg() > 0 {
		return usagef("serve", "takes no arguments, got %q", fs.Args())
	}
	if *refresh <= 0 {
		return usagef("serve", "--refresh %v: want a positive duration", *refresh)
	}
	var token string
	if *tokenFile != "" {
		raw, err := os.ReadFile(*tokenFile)
		if err != nil {
			return err
		}
		if token = strings.TrimSpace(string(raw)); token == "" {
			return fmt.Errorf("%s: empty token", *tokenFile)
		}
	}
	e, closeStore, err := openEngineWith(ctx, *db, true, *eo)
	if err != nil {
		return err
	}
	defer closeStore()
	logger := slog.New(slog.NewJSONHandler(stderr, nil))
	srv := httpapi.NewServer(e, logger)
	srv.Token = token
	if err := srv.Open(*addr); err != nil {
		return err
	}
	logger.Info("serving", "url", srv.URL(), "articles", e.Stats().Articles)
	if postgres.IsURL(*db) {
		// Other servers write the same store: read what they stored.
		go refreshLoop(ctx, e, *refresh, logger)
	}
	fmt.Fprintln(stdout, srv.URL())
	go snapshotLoop(ctx, e, time.Minute, logger)
	<-ctx.Done()
	logger.Info("shutting down")
	sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	err = srv.Close(sctx)
	saveSnapshot(context.Background(), e, 1, logger)
	return err
}
