package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/newsdedup/newsdedup"
	"github.com/newsdedup/newsdedup/lsh/redislsh"
	"github.com/newsdedup/newsdedup/queue"
	"github.com/newsdedup/newsdedup/store/postgres"
	"github.com/newsdedup/newsdedup/worker"
)

func workerCommand(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("worker")
	db := fs.String("db", "", "store: a postgres:// URL (shared by every worker)")
	q := fs.String("queue", "", "NATS server(s) holding the queue, nats://HOST:PORT[,nats://...]")
	eo := engineFlags(fs)
	addr := fs.String("addr", "127.0.0.1:9464", "address of /metrics and /healthz, HOST:PORT (empty: none)")
	batch := fs.Int("batch", 64, "articles placed at once")
	tries := fs.Int("max-tries", 5, "deliveries of a failing message before it goes to the dead-letter subject")
	ackWait := fs.Duration("ack-wait", 30*time.Second, "how long a fetched message may go unacknowledged before it is delivered again")
	if err := parseFlags(fs, args, stdout); err != nil {
		return err
	}
	switch {
	case fs.NArg() > 0:
		return usagef("worker", "takes no arguments, got %q", fs.Args())
	case !postgres.IsURL(*db):
		return usagef("worker", "--db postgres://... is required: workers share a PostgreSQL store")
	case !queue.IsURL(*q):
		return usagef("worker", "--queue nats://HOST:PORT is required")
	case *batch < 1 || *tries < 1 || *ackWait <= 0:
		return usagef("worker", "--batch, --max-tries and --ack-wait must be positive")
	}
	logger := slog.New(slog.NewJSONHandler(stderr, nil))
	e, closeStore, err := openEngineWith(ctx, *db, true, *eo)
	if err != nil {
		return err
	}
	defer closeStore()
	qu, err := queue.Open(ctx, *q, queue.Options{AckWait: *ackWait})
	if err != nil {
		return err
	}
	defer qu.Close()
	w := worker.New(worker.Config{Batch: *batch, MaxTries: *tries, Unavailable: worker.IsUnavailable(unavailable)}, qu, e, logger)
	if *addr != "" {
		ln, err := net.Listen("tcp", *addr)
		if err != nil {
			return err
		}
		mux := http.NewServeMux()
		mux.HandleFunc("GET /metrics", func(rw http.ResponseWriter, r *http.Request) {
			rw.Header().Set("Content-Type", "text/plain; version=0.0.4")
			m := &w.Metrics
			for _, c := range []struct {
				name, help string
				v          int64
			}{
				{"placed", "Articles this worker stored.", m.Placed.Load()},
				{"existing", "Articles delivered that were stored already.", m.Existing.Load()},
				{"redelivered", "Messages delivered more than once.", m.Redelivered.Load()},
				{"failed", "Messages sent to the dead-letter subject.", m.Failed.Load()},
				{"retried", "Batches given back because the store could not be written.", m.Retried.Load()},
			} {
				fmt.Fprintf(rw, "# HELP newsdedup_worker_%s_total %s\n# TYPE newsdedup_worker_%s_total counter\nnewsdedup_worker_%s_total %d\n", c.name, c.help, c.name, c.name, c.v)
			}
			if ps, ok := e.Store().(*postgres.Store); ok {
				fmt.Fprintf(rw, "# HELP newsdedup_worker_store_statements_total Statements sent to PostgreSQL.\n# TYPE newsdedup_worker_store_statements_total counter\nnewsdedup_worker_store_statements_total %d\n", ps.Statements())
			}
			if lag, err := qu.Lag(r.Context()); err == nil {
				fmt.Fprintf(rw, "# HELP newsdedup_worker_lag Messages on the queue not yet acknowledged.\n# TYPE newsdedup_worker_lag gauge\nnewsdedup_worker_lag %d\n", lag)
			}
		})
		mux.HandleFunc("GET /healthz", func(rw http.ResponseWriter, r *http.Request) {
			if err := e.Health(); err != nil {
				http.Error(rw, err.Error(), http.StatusServiceUnavailable)
				return
			}
			fmt.Fprintln(rw, "ok")
		})
		srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
		go srv.Serve(ln)
		defer srv.Close()
		fmt.Fprintf(stdout, "http://%s/metrics\n", ln.Addr())
	}
	logger.Info("working", "queue", queue.Redacted(*q), "store", postgres.Redacted(*db), "articles", e.Stats().Articles)
	go snapshotLoop(ctx, e, time.Minute, logger)
	err = w.Run(ctx)
	saveSnapshot(context.Background(), e, 1, logger)
	logger.Info("stopped", "placed", w.Metrics.Placed.Load(), "failed", w.Metrics.Failed.Load())
	return err
}

// unavailable reports whether err says PostgreSQL or Redis is unreachable.
func unavailable(err error) bool {
	return errors.Is(err, newsdedup.ErrUnavailable) || postgres.IsUnavailable(err) || redislsh.IsUnavailable(err)
}
