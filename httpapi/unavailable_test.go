package httpapi_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/newsdedup/newsdedup"
	"github.com/newsdedup/newsdedup/httpapi"
	"github.com/newsdedup/newsdedup/pipeline"
	"github.com/newsdedup/newsdedup/store/bolt"
)

// awayStore is a store whose server can be made unreachable (failure
// injection): its reads then fail as a store's do, with ErrUnavailable.
type awayStore struct {
	*bolt.Store
	away atomic.Bool
}

func (s *awayStore) err() error {
	if s.away.Load() {
		return fmt.Errorf("read: store test: %w: connection refused", newsdedup.ErrUnavailable)
	}
	return nil
}

func (s *awayStore) Relations(ctx context.Context, id newsdedup.ArticleID) ([]newsdedup.Relation, error) {
	if err := s.err(); err != nil {
		return nil, err
	}
	return s.Store.Relations(ctx, id)
}

func (s *awayStore) Ping(context.Context) error { return s.err() }

// A store that cannot be reached makes reads that need it a 503, not a
// 500, and /healthz a 503.
func TestStoreAway(t *testing.T) {
	cfg := pipeline.DefaultConfig()
	bs, err := bolt.Open(t.TempDir(), cfg.Params)
	if err != nil {
		t.Fatal(err)
	}
	defer bs.Close()
	s := &awayStore{Store: bs}
	e, err := pipeline.Open(context.Background(), cfg, s)
	if err != nil {
		t.Fatal(err)
	}
	srv := httpapi.NewServer(e, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err := srv.Open("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	defer srv.Close(context.Background())
	body := []byte(`{"id":"a1","title":"A title","text":"Some words of an article that is long enough to be stored as one."}`)
	if code := do(t, "POST", srv.URL()+"/v1/articles", "", body, nil); code != http.StatusCreated {
		t.Fatalf("POST: %d", code)
	}
	for _, path := range []string{"/v1/articles/a1", "/healthz"} {
		if code := do(t, "GET", srv.URL()+path, "", nil, nil); code != http.StatusOK {
			t.Errorf("GET %s with the store there: %d", path, code)
		}
	}
	s.away.Store(true)
	for _, path := range []string{"/v1/articles/a1", "/healthz"} {
		if code := do(t, "GET", srv.URL()+path, "", nil, nil); code != http.StatusServiceUnavailable {
			t.Errorf("GET %s with the store away: %d, want 503", path, code)
		}
	}
}

// An error quoting a huge ID does not send it back whole.
func TestLongIDClipped(t *testing.T) {
	srv := MustOpenServer(t, "")
	var out map[string]string
	id := strings.Repeat("x", 100_000)
	if code := do(t, "GET", srv.URL()+"/v1/articles/"+id, "", nil, &out); code != http.StatusNotFound || len(out["error"]) > 600 {
		t.Errorf("GET of a 100 KB ID: %d, error of %d bytes", code, len(out["error"]))
	}
}
