// Package queue carries articles to place over NATS JetStream: `ingest
// --queue` publishes them, workers fetch them, place and store them, and
// acknowledge each only once the store has committed it.
//
// Articles go to the subject newsdedup.articles of the stream NEWSDEDUP (a
// work queue: an acknowledged message is removed), made if missing, file
// backed. Each message carries one article as JSON, with the article's ID
// as its Nats-Msg-Id, so that a publisher retrying within the stream's
// duplicate window stores it once. Workers share the durable pull consumer
// "workers": a message one of them fetched and did not acknowledge within
// AckWait (it died, or asked for a retry) goes to another. A message that
// can never be placed goes, with its reason in the header
// Newsdedup-Reason, to the subject newsdedup.dead of the stream
// NEWSDEDUP_DEAD, and is removed from the work queue.
package queue

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/newsdedup/newsdedup"
)

// Names in NATS.
const (
	Stream      = "NEWSDEDUP"
	Subject     = "newsdedup.articles"
	DeadStream  = "NEWSDEDUP_DEAD"
	DeadSubject = "newsdedup.dead"
	Consumer    = "workers"
	// ReasonHeader holds why a dead letter could not be placed.
	ReasonHeader = "Newsdedup-Reason"
)

// IsURL reports whether s names a NATS server.
func IsURL(s string) bool {
	l := strings.ToLower(s)
	return strings.HasPrefix(l, "nats://") || strings.HasPrefix(l, "tls://")
}

// Redacted returns the URL without its password or token, for messages.
func Redacted(s string) string {
	var out []string
	for _, one := range strings.Split(s, ",") {
		u, err := url.Parse(one)
		if err != nil {
			out = append(out, "(unparsable URL)")
			continue
		}
		if u.User != nil {
			u.User = url.User("xxxxx")
		}
		out = append(out, u.String())
	}
	return strings.Join(out, ",")
}

// Options tune a Queue's consumer.
type Options struct {
	// AckWait is how long a fetched message may go unacknowledged before
	// it is delivered again (to any worker). Default 30 s.
	AckWait time.Duration
}

// Queue is a connection to the intake stream. It is safe for concurrent
// use.
type Queue struct {
	nc   *nats.Conn
	js   jetstream.JetStream
	name string
	opts Options
	mu   sync.Mutex         // guards cons: Fetch and Lag (metrics) run concurrently
	cons jetstream.Consumer // made by the first Fetch or Lag
}

// Open connects to the NATS servers at servers (comma-separated URLs) and
// makes the streams if missing. The connection reconnects by itself for
// as long as the Queue is open.
func Open(ctx context.Context, servers string, opts Options) (*Queue, error) {
	name := Redacted(servers)
	if opts.AckWait <= 0 {
		opts.AckWait = 30 * time.Second
	}
	nc, err := nats.Connect(servers, nats.Name("newsdedup"), nats.MaxReconnects(-1), nats.RetryOnFailedConnect(false), nats.Timeout(10*time.Second))
	if err != nil {
		return nil, fmt.Errorf("open queue %s: %w", name, err)
	}
	js, err := jetstream.New(nc)
	if err != nil {
		nc.Close()
		return nil, fmt.Errorf("open queue %s: %w", name, err)
	}
	q := &Queue{nc: nc, js: js, name: name, opts: opts}
	streams := []jetstream.StreamConfig{
		{Name: Stream, Subjects: []string{Subject}, Retention: jetstream.WorkQueuePolicy, Storage: jetstream.FileStorage, Duplicates: 10 * time.Minute},
		{Name: DeadStream, Subjects: []string{DeadSubject}, Retention: jetstream.LimitsPolicy, Storage: jetstream.FileStorage},
	}
	for _, cfg := range streams {
		if _, err := js.CreateOrUpdateStream(ctx, cfg); err != nil {
			nc.Close()
			return nil, fmt.Errorf("open queue %s: stream %s: %w", name, cfg.Name, err)
		}
	}
	return q, nil
}

// Close closes the connection.
func (q *Queue) Close() { q.nc.Close() }

// Published says what became of the articles given to Publish.
type Published struct {
	Queued int // stored by JetStream
	// Duplicates were on the queue already (published within the
	// stream's duplicate window, 10 minutes): not queued again.
	Duplicates int
	// Refused[k] is why arts[k] was not queued (too large for the
	// server), or nil.
	Refused []error
}

// Publish puts arts on the queue and returns once JetStream has
// acknowledged every one it took (stored it durably). An article larger
// than the server takes is refused alone (Published.Refused); the error
// is that of the first publish that failed otherwise, naming its article.
func (q *Queue) Publish(ctx context.Context, arts []*newsdedup.Article) (Published, error) {
	out := Published{Refused: make([]error, len(arts))}
	futures := make([]jetstream.PubAckFuture, len(arts))
	limit := q.nc.MaxPayload()
	for k, a := range arts {
		raw, err := json.Marshal(a)
		if err != nil {
			return out, fmt.Errorf("queue %s: encode %s: %w", q.name, a.Input, err)
		}
		// The message also carries its subject and the ID header.
		if size := int64(len(raw) + len(a.ID) + 64); limit > 0 && size > limit {
			out.Refused[k] = newsdedup.Errorf(newsdedup.EINVALID, "article of %d bytes as JSON: over the queue server's limit of %d bytes (its max_payload)", len(raw), limit)
			continue
		}
		msg := nats.NewMsg(Subject)
		msg.Data = raw
		if futures[k], err = q.js.PublishMsgAsync(msg, jetstream.WithMsgID(string(a.ID))); err != nil {
			return out, fmt.Errorf("queue %s: publish %s: %w", q.name, a.Input, err)
		}
	}
	for k, f := range futures {
		if f == nil {
			continue
		}
		select {
		case ack := <-f.Ok():
			if ack.Duplicate {
				out.Duplicates++
			} else {
				out.Queued++
			}
		case err := <-f.Err():
			return out, fmt.Errorf("queue %s: publish %s: %w", q.name, arts[k].Input, err)
		case <-ctx.Done():
			return out, ctx.Err()
		}
	}
	return out, nil
}

// A Message is one article fetched from the queue.
type Message struct {
	// Article is the article, or nil when the message does not decode
	// (Err says why).
	Article *newsdedup.Article
	Err     error
	// Delivered counts the deliveries of the message, this one included.
	Delivered uint64
	msg       jetstream.Msg
}

// Ack removes the message from the queue: its article is stored. It does
// not wait for the server's confirmation: an acknowledgement lost on the
// way makes the message delivered again, which changes nothing.
func (m *Message) Ack() error { return m.msg.Ack() }

// Retry makes the message delivered again after delay.
func (m *Message) Retry(delay time.Duration) error { return m.msg.NakWithDelay(delay) }

// Extend tells the server the message is still being worked on, resetting
// its AckWait.
func (m *Message) Extend() error { return m.msg.InProgress() }

// consumer returns the workers' durable consumer, made if missing.
func (q *Queue) consumer(ctx context.Context) (jetstream.Consumer, error) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.cons != nil {
		return q.cons, nil
	}
	c, err := q.js.CreateOrUpdateConsumer(ctx, Stream, jetstream.ConsumerConfig{
		Durable: Consumer, AckPolicy: jetstream.AckExplicitPolicy, AckWait: q.opts.AckWait, FilterSubject: Subject,
		MaxAckPending: 10000,
	})
	if err != nil {
		return nil, fmt.Errorf("queue %s: consumer: %w", q.name, err)
	}
	q.cons = c
	return c, nil
}

// Fetch returns up to max messages, waiting up to wait for the first.
func (q *Queue) Fetch(ctx context.Context, max int, wait time.Duration) ([]*Message, error) {
	c, err := q.consumer(ctx)
	if err != nil {
		return nil, err
	}
	batch, err := c.Fetch(max, jetstream.FetchMaxWait(wait))
	if err != nil {
		return nil, fmt.Errorf("queue %s: fetch: %w", q.name, err)
	}
	var out []*Message
	for msg := range batch.Messages() {
		m := &Message{msg: msg, Delivered: 1}
		if md, err := msg.Metadata(); err == nil {
			m.Delivered = md.NumDelivered
		}
		var a newsdedup.Article
		if err := json.Unmarshal(msg.Data(), &a); err != nil {
			m.Err = fmt.Errorf("message does not decode as an article: %v", err)
		} else if a.ID == "" {
			m.Err = errors.New("message holds an article without an ID")
		} else if len(a.Body) == 0 {
			m.Err = fmt.Errorf("article %s has no text", a.ID)
		} else {
			m.Article = &a
		}
		out = append(out, m)
	}
	if err := batch.Error(); err != nil && !errors.Is(err, nats.ErrTimeout) && len(out) == 0 {
		return nil, fmt.Errorf("queue %s: fetch: %w", q.name, err)
	}
	return out, nil
}

// Dead moves m to the dead-letter subject with reason, then removes it
// from the work queue.
func (q *Queue) Dead(ctx context.Context, m *Message, reason string) error {
	msg := nats.NewMsg(DeadSubject)
	msg.Data = m.msg.Data()
	msg.Header.Set(ReasonHeader, reason)
	msg.Header.Set("Newsdedup-Delivered", fmt.Sprint(m.Delivered))
	if _, err := q.js.PublishMsg(ctx, msg); err != nil {
		return fmt.Errorf("queue %s: dead letter: %w", q.name, err)
	}
	return m.msg.Term()
}

// Lag returns the number of messages not yet acknowledged: waiting and
// being worked on.
func (q *Queue) Lag(ctx context.Context) (uint64, error) {
	c, err := q.consumer(ctx)
	if err != nil {
		return 0, err
	}
	info, err := c.Info(ctx)
	if err != nil {
		return 0, fmt.Errorf("queue %s: %w", q.name, err)
	}
	return info.NumPending + uint64(info.NumAckPending), nil
}

// DeadLetters returns the messages on the dead-letter subject with their
// reasons, oldest first, at most max.
func (q *Queue) DeadLetters(ctx context.Context, max int) ([]DeadLetter, error) {
	s, err := q.js.Stream(ctx, DeadStream)
	if err != nil {
		return nil, err
	}
	info, err := s.Info(ctx)
	if err != nil {
		return nil, err
	}
	var out []DeadLetter
	for seq := info.State.FirstSeq; seq <= info.State.LastSeq && len(out) < max && info.State.Msgs > 0; seq++ {
		raw, err := s.GetMsg(ctx, seq)
		if err != nil {
			continue
		}
		out = append(out, DeadLetter{Data: raw.Data, Reason: raw.Header.Get(ReasonHeader)})
	}
	return out, nil
}

// A DeadLetter is a message that could not be placed, and why.
type DeadLetter struct {
	Data   []byte
	Reason string
}
