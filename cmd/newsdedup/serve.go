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
)

func serveCommand(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("serve")
	db := fs.String("db", "", "store directory (created if absent)")
	addr := fs.String("addr", "127.0.0.1:8080", "address to listen on, HOST:PORT")
	tokenFile := fs.String("token-file", "", "file holding a bearer token that writes must present")
	if err := parseFlags(fs, args, stdout); err != nil {
		return err
	}
	if *db == "" {
		return usagef("serve", "--db DIR is required")
	}
	if fs.NArg() > 0 {
		return usagef("serve", "takes no arguments, got %q", fs.Args())
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
	e, closeStore, err := openEngine(ctx, *db, true)
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
	fmt.Fprintln(stdout, srv.URL())
	<-ctx.Done()
	logger.Info("shutting down")
	sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	return srv.Close(sctx)
}
