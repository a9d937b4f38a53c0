package queue_test

import (
	"context"
	"strings"
	"testing"

	"github.com/newsdedup/newsdedup"
	"github.com/newsdedup/newsdedup/queue"
	"github.com/newsdedup/newsdedup/queue/natstest"
)

// Publish refuses an article over the server's payload limit alone, and
// counts the articles the stream's duplicate window already holds.
func TestPublish(t *testing.T) {
	ctx := context.Background()
	ns := natstest.Start(t)
	q, err := queue.Open(ctx, ns.URL, queue.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer q.Close()
	small := &newsdedup.Article{ID: "small", Body: []string{"a short text"}}
	big := &newsdedup.Article{ID: "big", Body: []string{strings.Repeat("word ", 300_000)}} // 1.5 MB, over 1 MB
	pub, err := q.Publish(ctx, []*newsdedup.Article{big, small})
	if err != nil {
		t.Fatal(err)
	}
	if pub.Queued != 1 || pub.Refused[0] == nil || pub.Refused[1] != nil {
		t.Errorf("Publish = %+v, want the small one queued and the big one refused", pub)
	}
	pub, err = q.Publish(ctx, []*newsdedup.Article{small})
	if err != nil || pub.Queued != 0 || pub.Duplicates != 1 {
		t.Errorf("publishing again: %+v, %v; want one duplicate", pub, err)
	}
	if lag, err := q.Lag(ctx); err != nil || lag != 1 {
		t.Errorf("Lag = %d, %v; want 1", lag, err)
	}
}
