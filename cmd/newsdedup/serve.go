package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"time"

	"github.com/newsdedup/newsdedup/httpapi"
)

func serveCommand(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	db := fs.String("db", "", "store directory (created if absent)")
	addr := fs.String("addr", "127.0.0.1:8080", "address to listen on, HOST:PORT")
	tokenFile := fs.String("token-file", "", "file holding a bearer token that writes must present")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: newsdedup serve --db DIR [--addr HOST:PORT] [--token-file FILE]")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *db == "" || fs.NArg() > 0 {
		fs.Usage()
		return errUsage
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
