// Package redislsh keeps the candidate index (newsdedup.CandidateIndex) in a Redis Cluster, shared by
// every process that places articles: the LSH band buckets (of lsh.Index's
// band keys) and the passage anchors (of lsh.Anchors), each a list of the
// arrival numbers (Seq) of the articles that hold it, newest first.
//
// Keys are "nd:STORE:b:BAND:KEY" and "nd:STORE:a:ANCHOR" (STORE the
// store's ID, so that stores sharing a cluster are kept apart), spread over
// the cluster's slots by their hash; every call sends its commands in one pipeline
// (go-redis splits it by node). Buckets are bounded as in memory: a band
// bucket keeps its MaxBucket newest articles; an anchor held by more than
// MaxPosting articles is boilerplate and is returned for none (its list is
// cut at MaxPosting+1, which says so).
package redislsh

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/newsdedup/newsdedup"
)

var _ newsdedup.CandidateIndex = (*Index)(nil)

// IsURL reports whether s names a Redis Cluster: redis://HOST:PORT[,HOST:PORT...].
func IsURL(s string) bool { return strings.HasPrefix(strings.ToLower(s), "redis://") }

// Redacted returns s without its credentials, for messages.
func Redacted(s string) string {
	if at := strings.LastIndex(s, "@"); at >= 0 && IsURL(s) {
		return "redis://xxxxx@" + s[at+1:]
	}
	return s
}

// Options bound the index.
type Options struct {
	// Namespace keeps one store's index apart from the others' in the
	// same cluster: the store's ID (newsdedup.Identified). Required.
	Namespace  string
	MaxBucket  int // articles a band bucket keeps, newest; default 1000
	MaxPosting int // articles an anchor may hold before it is boilerplate; default 50
}

// Index is a candidate index in a Redis Cluster. It is safe for concurrent
// use.
type Index struct {
	c      *redis.ClusterClient
	prefix string // "nd:" and the namespace
	name   string
	opts   Options
}

// quiet drops go-redis's own log lines (pool and reconnection notices,
// printed to stderr): the index's errors say what went wrong, once.
type quiet struct{}

func (quiet) Printf(context.Context, string, ...any) {}

func init() { redis.SetLogger(quiet{}) }

// Open connects to the cluster whose seed nodes url names
// (redis://[USER:PASSWORD@]HOST:PORT[,HOST:PORT...]).
func Open(ctx context.Context, rawURL string, opts Options) (*Index, error) {
	name := Redacted(rawURL)
	if !IsURL(rawURL) {
		return nil, fmt.Errorf("index %s: want redis://HOST:PORT[,HOST:PORT...]", name)
	}
	if opts.Namespace == "" || strings.ContainsAny(opts.Namespace, "{}: \t\n") {
		return nil, fmt.Errorf("index %s: namespace %q: want the store's ID", name, opts.Namespace)
	}
	if opts.MaxBucket <= 0 {
		opts.MaxBucket = 1000
	}
	if opts.MaxPosting <= 0 {
		opts.MaxPosting = 50
	}
	rest := strings.TrimPrefix(rawURL, rawURL[:len("redis://")])
	var user, password string
	if at := strings.LastIndex(rest, "@"); at >= 0 {
		cred := rest[:at]
		rest = rest[at+1:]
		u, p, _ := strings.Cut(cred, ":")
		user, _ = url.PathUnescape(u)
		password, _ = url.PathUnescape(p)
	}
	var addrs []string
	for _, a := range strings.Split(rest, ",") {
		a = strings.TrimPrefix(strings.TrimSuffix(strings.TrimSpace(a), "/"), "redis://")
		if a != "" {
			addrs = append(addrs, a)
		}
	}
	if len(addrs) == 0 {
		return nil, fmt.Errorf("index %s: no node named", name)
	}
	c := redis.NewClusterClient(&redis.ClusterOptions{
		Addrs: addrs, Username: user, Password: password,
		MaxRetries: 5, MinRetryBackoff: 50 * time.Millisecond, MaxRetryBackoff: 2 * time.Second,
		DialTimeout: 5 * time.Second, ReadTimeout: 10 * time.Second, WriteTimeout: 10 * time.Second,
	})
	if err := c.Ping(ctx).Err(); err != nil {
		c.Close()
		return nil, fmt.Errorf("index %s: cannot connect: %w", name, err)
	}
	return &Index{c: c, prefix: "nd:" + opts.Namespace + ":", name: name, opts: opts}, nil
}

// Close closes the connections.
func (x *Index) Close() error { return x.c.Close() }

func (x *Index) bandKey(band int, k uint32) string {
	return x.prefix + "b:" + strconv.Itoa(band) + ":" + strconv.FormatUint(uint64(k), 36)
}

func (x *Index) anchorKey(a uint64) string {
	if a == 1 { // anchors 0 and 1 are one anchor, as in lsh.Anchors
		a = 0
	}
	return x.prefix + "a:" + strconv.FormatUint(a, 36)
}

// Add indexes items, in one pipeline. Adding an item twice (a retried
// batch) repeats it in its buckets, which queries count once a bucket.
func (x *Index) Add(ctx context.Context, items []newsdedup.IndexEntry) error {
	if len(items) == 0 {
		return nil
	}
	_, err := x.c.Pipelined(ctx, func(p redis.Pipeliner) error {
		for _, it := range items {
			for band, k := range it.Keys {
				key := x.bandKey(band, k)
				p.LPush(ctx, key, it.Seq)
				p.LTrim(ctx, key, 0, int64(x.opts.MaxBucket-1))
			}
			for _, a := range it.Anchors {
				key := x.anchorKey(a)
				p.LPush(ctx, key, it.Seq)
				p.LTrim(ctx, key, 0, int64(x.opts.MaxPosting))
			}
		}
		return nil
	})
	if err != nil {
		return x.fail("add", err)
	}
	return nil
}

// Query looks up qs in one pipeline.
func (x *Index) Query(ctx context.Context, qs []newsdedup.IndexQuery) ([]newsdedup.IndexHits, error) {
	type ask struct {
		q      int
		anchor bool
		cmd    *redis.StringSliceCmd
	}
	var asks []ask
	_, err := x.c.Pipelined(ctx, func(p redis.Pipeliner) error {
		for k, q := range qs {
			for band, key := range q.Keys {
				asks = append(asks, ask{k, false, p.LRange(ctx, x.bandKey(band, key), 0, int64(x.opts.MaxBucket-1))})
			}
			for _, a := range q.Anchors {
				asks = append(asks, ask{k, true, p.LRange(ctx, x.anchorKey(a), 0, int64(x.opts.MaxPosting))})
			}
		}
		return nil
	})
	if err != nil && err != redis.Nil {
		return nil, x.fail("query", err)
	}
	out := make([]newsdedup.IndexHits, len(qs))
	for k := range out {
		out[k] = newsdedup.IndexHits{Bands: map[uint64]int{}, Anchors: map[uint64]int{}}
	}
	for _, a := range asks {
		ids, err := a.cmd.Result()
		if err != nil && err != redis.Nil {
			return nil, x.fail("query", err)
		}
		if a.anchor && len(ids) > x.opts.MaxPosting {
			continue // boilerplate
		}
		seen := make(map[uint64]bool, len(ids))
		for _, s := range ids {
			id, err := strconv.ParseUint(s, 10, 64)
			if err != nil || seen[id] {
				continue
			}
			seen[id] = true
			if a.anchor {
				out[a.q].Anchors[id]++
			} else {
				out[a.q].Bands[id]++
			}
		}
	}
	return out, nil
}

// indexedKey holds the arrival number up to which every article is
// indexed.
func (x *Index) indexedKey() string { return x.prefix + "indexed" }

// Indexed returns the arrival number up to which every stored article is
// indexed (0 for a new index).
func (x *Index) Indexed(ctx context.Context) (uint64, error) {
	n, err := x.c.Get(ctx, x.indexedKey()).Uint64()
	if err == redis.Nil {
		return 0, nil
	}
	if err != nil {
		return 0, x.fail("read", err)
	}
	return n, nil
}

// SetIndexed records that every article up to seq is indexed.
func (x *Index) SetIndexed(ctx context.Context, seq uint64) error {
	if err := x.c.Set(ctx, x.indexedKey(), seq, 0).Err(); err != nil {
		return x.fail("write", err)
	}
	return nil
}

// Counts returns the number of keys the index holds in the cluster, for
// figures.
func (x *Index) Counts(ctx context.Context) (int64, error) {
	var n atomic.Int64
	err := x.c.ForEachMaster(ctx, func(ctx context.Context, m *redis.Client) error {
		k, err := m.DBSize(ctx).Result()
		n.Add(k)
		return err
	})
	return n.Load(), err
}

// IsUnavailable reports whether err says the cluster, or a node of it,
// cannot be reached or is not serving (a node restarting, a failover),
// which a retry may mend.
func IsUnavailable(err error) bool {
	if err == nil {
		return false
	}
	var ne net.Error
	if errors.As(err, &ne) || errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, redis.ErrClosed) {
		return true
	}
	msg := err.Error()
	for _, s := range []string{"CLUSTERDOWN", "TRYAGAIN", "LOADING", "MASTERDOWN", "connection refused", "i/o timeout"} {
		if strings.Contains(msg, s) {
			return true
		}
	}
	return false
}

// fail names the index in err, marking it newsdedup.ErrUnavailable when
// the cluster could not be reached.
func (x *Index) fail(what string, err error) error {
	if IsUnavailable(err) {
		return fmt.Errorf("index %s: %s: %w: %w", x.name, what, newsdedup.ErrUnavailable, err)
	}
	return fmt.Errorf("index %s: %s: %w", x.name, what, err)
}
