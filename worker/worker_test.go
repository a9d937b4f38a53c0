package worker_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nats-io/nats.go"

	"github.com/newsdedup/newsdedup"
	"github.com/newsdedup/newsdedup/lsh/redislsh"
	"github.com/newsdedup/newsdedup/lsh/redislsh/redistest"
	"github.com/newsdedup/newsdedup/pipeline"
	"github.com/newsdedup/newsdedup/queue"
	"github.com/newsdedup/newsdedup/queue/natstest"
	"github.com/newsdedup/newsdedup/store/postgres"
	"github.com/newsdedup/newsdedup/store/postgres/pgtest"
	"github.com/newsdedup/newsdedup/worker"
)

// proxy forwards TCP connections to target until cut, which closes them
// all and refuses new ones until mend: a server going away, for failure
// injection.
type proxy struct {
	ln     net.Listener
	target string
	mu     sync.Mutex
	down   bool
	conns  []net.Conn
}

func newProxy(t *testing.T, target string) *proxy {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &proxy{ln: ln, target: target}
	t.Cleanup(func() { ln.Close(); p.cut() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			p.mu.Lock()
			if p.down {
				p.mu.Unlock()
				c.Close()
				continue
			}
			s, err := net.Dial("tcp", target)
			if err != nil {
				p.mu.Unlock()
				c.Close()
				continue
			}
			p.conns = append(p.conns, c, s)
			p.mu.Unlock()
			go func() { io.Copy(s, c); s.Close() }()
			go func() { io.Copy(c, s); c.Close() }()
		}
	}()
	return p
}

func (p *proxy) cut() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.down = true
	for _, c := range p.conns {
		c.Close()
	}
	p.conns = nil
}

func (p *proxy) mend() {
	p.mu.Lock()
	p.down = false
	p.mu.Unlock()
}

func article(i int) *newsdedup.Article {
	words := make([]string, 60)
	for k := range words {
		words[k] = fmt.Sprintf("w%dx%d", i, k)
	}
	return &newsdedup.Article{ID: newsdedup.ArticleID(fmt.Sprintf("a%d", i)), Input: fmt.Sprintf("in%d", i),
		Title: fmt.Sprintf("Title %d", i), Body: []string{strings.Join(words, " ")}}
}

// setup returns a queue and an engine over a fresh database reached
// through a proxy, with its candidate index in idx if given.
func setup(t *testing.T, idx ...newsdedup.CandidateIndex) (*natstest.Server, *queue.Queue, *pipeline.Engine, *postgres.Store, *proxy) {
	ctx := context.Background()
	db := pgtest.DB(t)
	ns := natstest.Start(t)
	u, _ := url.Parse(db)
	px := newProxy(t, u.Host)
	u.Host = px.ln.Addr().String()
	q := u.Query()
	q.Set("connect_timeout", "2")
	u.RawQuery = q.Encode()
	s, err := postgres.Open(ctx, u.String(), newsdedup.DefaultParams)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	cfg := pipeline.DefaultConfig()
	if len(idx) > 0 {
		cfg.Index = idx[0]
	}
	e, err := pipeline.Open(ctx, cfg, s)
	if err != nil {
		t.Fatal(err)
	}
	qu, err := queue.Open(ctx, ns.URL, queue.Options{AckWait: 2 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(qu.Close)
	return ns, qu, e, s, px
}

func run(t *testing.T, w *worker.Worker) (stop func()) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- w.Run(ctx) }()
	return func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Run: %v", err)
		}
	}
}

// waitFor polls cond for up to d.
func waitFor(d time.Duration, cond func() bool) bool {
	for deadline := time.Now().Add(d); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		if cond() {
			return true
		}
	}
	return cond()
}

// TestPoison: messages that can never be placed go to the dead-letter
// subject with their reason, and the others are stored.
func TestPoison(t *testing.T) {
	ctx := context.Background()
	ns, q, e, s, _ := setup(t)
	var arts []*newsdedup.Article
	for i := range 5 {
		arts = append(arts, article(i))
	}
	bad := article(99)
	bad.ID = "has a space"
	arts = append(arts[:2], append([]*newsdedup.Article{bad}, arts[2:]...)...)
	if _, err := q.Publish(ctx, arts); err != nil {
		t.Fatal(err)
	}
	nc, err := nats.Connect(ns.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	if err := nc.Publish(queue.Subject, []byte("not json {")); err != nil {
		t.Fatal(err)
	}
	nc.Flush()
	w := worker.New(worker.Config{Batch: 4}, q, e, slog.New(slog.NewTextHandler(io.Discard, nil)))
	stop := run(t, w)
	ok := waitFor(20*time.Second, func() bool { n, _, _ := s.Counts(ctx); lag, _ := q.Lag(ctx); return n == 5 && lag == 0 })
	stop()
	if !ok {
		n, _, _ := s.Counts(ctx)
		t.Fatalf("%d of 5 articles stored", n)
	}
	dead, err := q.DeadLetters(ctx, 10)
	if err != nil {
		t.Fatal(err)
	}
	var reasons []string
	for _, d := range dead {
		reasons = append(reasons, d.Reason)
	}
	if len(dead) != 2 || !strings.Contains(strings.Join(reasons, "|"), "does not decode") || !strings.Contains(strings.Join(reasons, "|"), "has a space") {
		t.Errorf("dead letters %q, want the undecodable message and the article with a bad ID, with reasons", reasons)
	}
	if w.Metrics.Placed.Load() != 5 || w.Metrics.Failed.Load() != 2 {
		t.Errorf("metrics placed %d failed %d, want 5 and 2", w.Metrics.Placed.Load(), w.Metrics.Failed.Load())
	}
}

// TestServicesGoAway: PostgreSQL unreachable for a while, then NATS
// restarting: the worker retries with backoff, gives nothing up, and
// stores every article once.
func TestServicesGoAway(t *testing.T) {
	ctx := context.Background()
	ns, q, e, s, px := setup(t)
	var arts []*newsdedup.Article
	for i := range 60 {
		arts = append(arts, article(i))
	}
	if _, err := q.Publish(ctx, arts[:30]); err != nil {
		t.Fatal(err)
	}
	px.cut()
	w := worker.New(worker.Config{Batch: 8, Backoff: 100 * time.Millisecond, MaxWait: time.Second, MaxTries: 2,
		Unavailable: worker.IsUnavailable(postgres.IsUnavailable)}, q, e, slog.New(slog.NewTextHandler(io.Discard, nil)))
	stop := run(t, w)
	defer func() {
		if stop != nil {
			stop()
		}
	}()
	time.Sleep(3 * time.Second) // more deliveries than MaxTries, all while the store is away
	if n := w.Metrics.Retried.Load(); n == 0 {
		t.Errorf("no retry while the store was unreachable")
	}
	px.mend()
	if !waitFor(30*time.Second, func() bool { n, _, _ := s.Counts(ctx); return n == 30 }) {
		n, _, _ := s.Counts(ctx)
		t.Fatalf("%d of 30 articles stored after the store came back", n)
	}
	ns.Restart()
	if err := waitForPublish(ctx, q, arts[30:]); err != nil {
		t.Fatal(err)
	}
	if !waitFor(30*time.Second, func() bool { n, _, _ := s.Counts(ctx); return n == 60 }) {
		n, _, _ := s.Counts(ctx)
		t.Fatalf("%d of 60 articles stored after NATS restarted", n)
	}
	stop()
	stop = nil
	if w.Metrics.Failed.Load() != 0 {
		t.Errorf("%d messages dead-lettered because services were away", w.Metrics.Failed.Load())
	}
	if a, _, _ := s.Counts(ctx); a != 60 || e.Stats().Articles != 60 {
		t.Errorf("store %d, engine %d articles, want 60", a, e.Stats().Articles)
	}
}

// waitForPublish publishes once the client has reconnected.
func waitForPublish(ctx context.Context, q *queue.Queue, arts []*newsdedup.Article) error {
	var err error
	for range 50 {
		if _, err = q.Publish(ctx, arts); err == nil {
			return nil
		}
		time.Sleep(200 * time.Millisecond)
	}
	return err
}

// TestRedisNodeRestarts: a node of the Redis Cluster holding the
// candidate index goes away while a worker places articles, and comes
// back: the worker retries meanwhile and stores every article once, none
// dead-lettered.
func TestRedisNodeRestarts(t *testing.T) {
	ctx := context.Background()
	cl := redistest.Start(t)
	idx, err := redislsh.Open(ctx, cl.URL(), redislsh.Options{Namespace: "w"})
	if err != nil {
		t.Fatal(err)
	}
	defer idx.Close()
	_, q, e, s, _ := setup(t, idx)
	var arts []*newsdedup.Article
	for i := range 61 {
		arts = append(arts, article(i))
	}
	if _, err := q.Publish(ctx, arts[:30]); err != nil {
		t.Fatal(err)
	}
	w := worker.New(worker.Config{Batch: 8, Backoff: 100 * time.Millisecond, MaxWait: time.Second, MaxTries: 2,
		Unavailable: worker.IsUnavailable(func(err error) bool { return postgres.IsUnavailable(err) || redislsh.IsUnavailable(err) })},
		q, e, slog.New(slog.NewTextHandler(io.Discard, nil)))
	stop := run(t, w)
	defer stop()
	if !waitFor(30*time.Second, func() bool { n, _, _ := s.Counts(ctx); return n == 30 }) {
		t.Fatal("the first 30 articles were not stored")
	}
	cl.Kill(0)
	if _, err := q.Publish(ctx, arts[30:60]); err != nil {
		t.Fatal(err)
	}
	// A third of the band keys live on the node that is away.
	if !waitFor(20*time.Second, func() bool { return w.Metrics.Retried.Load() > 0 }) {
		t.Error("no retry while a Redis node was away")
	}
	cl.Start(0)
	if !waitFor(60*time.Second, func() bool { n, _, _ := s.Counts(ctx); return n == 60 }) {
		n, _, _ := s.Counts(ctx)
		t.Fatalf("%d of 60 articles stored after a Redis node restarted", n)
	}
	if w.Metrics.Failed.Load() != 0 {
		t.Errorf("%d messages dead-lettered", w.Metrics.Failed.Load())
	}
	// The index may trail the store by the batch stored last: it is
	// indexed after the Put, and a failure there is mended by the next
	// Add, before it queries (syncIndex). One more article catches it up.
	if _, err := q.Publish(ctx, arts[60:]); err != nil {
		t.Fatal(err)
	}
	if !waitFor(60*time.Second, func() bool { n, _ := idx.Indexed(ctx); return n == 61 }) {
		n, err := idx.Indexed(ctx)
		t.Errorf("Indexed = %d, %v; want 61", n, err)
	}
}
