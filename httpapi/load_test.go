package httpapi_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/newsdedup/newsdedup/eval"
)

// TestLoad posts 10,000 Reuters articles from 8 concurrent clients and
// checks that none fails and none is lost. It logs the throughput and the
// latency percentiles; it asserts no time. .ci/run runs it without the race
// detector.
func TestLoad(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("load test: run without -short and without -race")
	}
	dir := "../../shared/eval/throughput/reuters21578"
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("Reuters corpus absent (%v)", err)
	}
	arts, err := eval.Reuters(dir)
	if err != nil {
		t.Fatal(err)
	}
	arts = arts[:10000]
	srv := MustOpenServer(t, "")
	bodies := make([][]byte, len(arts))
	for i, a := range arts {
		bodies[i], _ = json.Marshal(map[string]string{"id": string(a.ID), "title": a.Title, "text": strings.Join(a.Body, "\n\n"),
			"published": a.Published.Format(time.RFC3339), "source": "Reuters"})
	}
	const clients = 8
	lat := make([][]time.Duration, clients)
	errs := make(chan error, len(arts))
	var wg sync.WaitGroup
	start := time.Now()
	for c := range clients {
		wg.Go(func() {
			client := &http.Client{Timeout: 30 * time.Second}
			for i := c; i < len(bodies); i += clients {
				t0 := time.Now()
				resp, err := client.Post(srv.URL()+"/v1/articles", "application/json", bytes.NewReader(bodies[i]))
				if err != nil {
					errs <- err
					continue
				}
				resp.Body.Close()
				if resp.StatusCode != http.StatusCreated {
					errs <- fmt.Errorf("article %d: status %d", i, resp.StatusCode)
				}
				lat[c] = append(lat[c], time.Since(t0))
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if st := srv.Engine.Stats(); st.Articles != len(arts) {
		t.Errorf("stored %d articles, posted %d", st.Articles, len(arts))
	}
	all := slices.Concat(lat...)
	slices.Sort(all)
	t.Logf("%d articles from %d clients in %v: %.0f articles/s; latency p50 %v, p99 %v, max %v",
		len(arts), clients, elapsed.Round(time.Millisecond), float64(len(arts))/elapsed.Seconds(),
		all[len(all)/2], all[len(all)*99/100], all[len(all)-1])
}
