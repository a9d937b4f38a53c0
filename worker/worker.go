// Package worker places the articles of a queue: it fetches a batch,
// places and stores it with a pipeline.Engine (over a store that other
// workers share, PostgreSQL), and acknowledges each message once the store
// has committed its article. Any number of workers may run on one queue
// and one store: the engine places under the store's placement lock after
// catching up with what the others stored, so two copies placed at once by
// two workers are related as one worker would relate them.
//
// A message is never acknowledged before its article is stored, so a
// worker killed at any moment loses nothing: JetStream delivers what it
// held again after AckWait. Delivering again is harmless, since an article
// stored already is reported as such and changes nothing. When the store
// cannot be reached, the worker holds its batch (extending the messages'
// AckWait) and retries with backoff, and never gives a message up for it; a message that fails for a reason of its own (it does
// not decode, its article is invalid, or placing it fails MaxTries times)
// goes to the dead-letter subject with the reason.
package worker

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync/atomic"
	"time"

	"github.com/newsdedup/newsdedup"
	"github.com/newsdedup/newsdedup/pipeline"
	"github.com/newsdedup/newsdedup/queue"
)

// Config tunes a worker.
type Config struct {
	Batch    int           // messages placed at once; default 64
	MaxTries int           // deliveries of a failing message before it is dead; default 5
	Backoff  time.Duration // first wait after the store failed; doubles to MaxWait; default 250 ms
	MaxWait  time.Duration // default 15 s
	// Unavailable reports whether an error says a service is unreachable
	// (so the message is not at fault); nil treats no error so.
	Unavailable func(error) bool
}

func (c *Config) defaults() {
	if c.Batch <= 0 {
		c.Batch = 64
	}
	if c.MaxTries <= 0 {
		c.MaxTries = 5
	}
	if c.Backoff <= 0 {
		c.Backoff = 250 * time.Millisecond
	}
	if c.MaxWait <= 0 {
		c.MaxWait = 15 * time.Second
	}
}

// Metrics counts what a worker did. Its fields are safe to read while the
// worker runs.
type Metrics struct {
	Placed      atomic.Int64 // articles stored by this worker
	Existing    atomic.Int64 // articles delivered that were stored already
	Redelivered atomic.Int64 // messages delivered more than once
	Failed      atomic.Int64 // messages sent to the dead-letter subject
	Retried     atomic.Int64 // tries of a batch again while the store was unreachable
}

// Worker places the articles of one queue in one engine.
type Worker struct {
	cfg     Config
	q       *queue.Queue
	e       *pipeline.Engine
	log     *slog.Logger
	Metrics Metrics
}

// New returns a worker.
func New(cfg Config, q *queue.Queue, e *pipeline.Engine, log *slog.Logger) *Worker {
	cfg.defaults()
	return &Worker{cfg: cfg, q: q, e: e, log: log}
}

// Run places articles until ctx ends; it returns nil then. It returns an
// error only when the queue itself fails for good.
func (w *Worker) Run(ctx context.Context) error {
	wait := w.cfg.Backoff
	for ctx.Err() == nil {
		msgs, err := w.q.Fetch(ctx, w.cfg.Batch, 2*time.Second)
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			w.log.Warn("cannot fetch; retrying", "err", err.Error(), "in", wait.String())
			sleep(ctx, wait)
			wait = min(2*wait, w.cfg.MaxWait)
			continue
		}
		if len(msgs) == 0 {
			continue
		}
		if !w.place(ctx, msgs) {
			// A message failed: give it a moment before the next try.
			sleep(ctx, w.cfg.Backoff)
		}
		wait = w.cfg.Backoff
	}
	return nil
}

// place places the articles of msgs and acknowledges them. While the store
// is unreachable it holds them and retries. It returns false when a
// message was given back for a later delivery.
func (w *Worker) place(ctx context.Context, msgs []*queue.Message) bool {
	var arts []*newsdedup.Article
	var held []*queue.Message
	for _, m := range msgs {
		if m.Delivered > 1 {
			w.Metrics.Redelivered.Add(1)
		}
		switch {
		case m.Err != nil:
			w.dead(ctx, m, m.Err.Error())
		case m.Delivered > uint64(w.cfg.MaxTries):
			w.dead(ctx, m, fmt.Sprintf("delivered %d times without being stored (a worker may have died placing it)", m.Delivered-1))
		default:
			arts, held = append(arts, m.Article), append(held, m)
		}
	}
	if len(arts) == 0 {
		return true
	}
	pls, err := w.e.Add(context.WithoutCancel(ctx), arts)
	wait := w.cfg.Backoff
	for err != nil && w.unavailable(err) && ctx.Err() == nil {
		// The store is away: hold the batch (telling JetStream it is
		// being worked on, so that it is neither delivered again nor
		// counted as a failure of its own) and try again, waiting longer
		// each time.
		w.Metrics.Retried.Add(1)
		w.log.Warn("cannot reach the store; holding the batch and retrying", "articles", len(arts), "in", wait.String(), "err", err.Error())
		sleep(ctx, wait)
		wait = min(2*wait, w.cfg.MaxWait)
		for _, m := range held {
			m.Extend()
		}
		pls, err = w.e.Add(context.WithoutCancel(ctx), arts)
	}
	if err != nil {
		if w.unavailable(err) {
			// Stopping: the messages are delivered again after AckWait.
			return false
		}
		if len(held) > 1 {
			// One bad article may fail the batch: place them one by one,
			// so that only it is held back.
			ok := true
			for _, m := range held {
				ok = w.place(ctx, []*queue.Message{m}) && ok
			}
			return ok
		}
		m := held[0]
		if m.Delivered >= uint64(w.cfg.MaxTries) {
			w.dead(ctx, m, fmt.Sprintf("placing failed %d times: %v", m.Delivered, err))
			return true
		}
		m.Retry(w.cfg.Backoff)
		w.log.Warn("cannot place; the message will be delivered again", "id", string(m.Article.ID), "err", err.Error())
		return false
	}
	for k, p := range pls {
		m := held[k]
		switch {
		case p.Err != nil:
			// Invalid or conflicting: it fails the same way every time.
			w.dead(ctx, m, p.Err.Error())
			continue
		case p.Existing:
			w.Metrics.Existing.Add(1)
		default:
			w.Metrics.Placed.Add(1)
		}
		if err := m.Ack(); err != nil {
			// Stored: a new delivery finds it stored and changes nothing.
			w.log.Warn("cannot acknowledge a stored article; it will be delivered again", "id", string(p.ID), "err", err.Error())
		}
	}
	return true
}

func (w *Worker) unavailable(err error) bool {
	return w.cfg.Unavailable != nil && w.cfg.Unavailable(err)
}

func (w *Worker) dead(ctx context.Context, m *queue.Message, reason string) {
	if err := w.q.Dead(ctx, m, reason); err != nil {
		// Not acknowledged: it comes back, and is sent again.
		w.log.Warn("cannot send a dead letter", "reason", reason, "err", err.Error())
		return
	}
	w.Metrics.Failed.Add(1)
	w.log.Warn("dead letter", "reason", reason, "delivered", m.Delivered)
}

func sleep(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-t.C:
	}
}

// IsUnavailable reports whether err is a network or context error, or one
// unavailable says is, rather than an error of the article.
func IsUnavailable(unavailable func(error) bool) func(error) bool {
	return func(err error) bool {
		var ne interface{ Timeout() bool }
		return errors.As(err, &ne) || errors.Is(err, context.DeadlineExceeded) || (unavailable != nil && unavailable(err))
	}
}
