package httpapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/newsdedup/newsdedup/eval"
)

// BenchmarkReadUnderWrite measures GET /v1/stories and GET / on a store of
// 10,000 Reuters articles, idle and while 16 clients post more articles:
// p50, p99 and max of each, in milliseconds, and the loaded p99 and max as
// multiples of the idle p99 (the bounds: 10× and 50×). It asserts
// no time.
func BenchmarkReadUnderWrite(b *testing.B) {
	dir := "../../shared/eval/throughput/reuters21578"
	if _, err := os.Stat(dir); err != nil {
		if os.Getenv("CI") != "" {
			b.Fatalf("Reuters corpus absent under CI (%v)", err)
		}
		b.Skipf("Reuters corpus absent (%v)", err)
	}
	arts, err := eval.Reuters(dir)
	if err != nil {
		b.Fatal(err)
	}
	const stored, writers = 10000, 16
	srv := MustOpenServer(b, "")
	for start := 0; start < stored; start += 256 {
		if _, err := srv.Engine.Add(context.Background(), arts[start:min(start+256, stored)]); err != nil {
			b.Fatal(err)
		}
	}
	rest := arts[stored:]
	bodies := make([][]byte, len(rest))
	for i, a := range rest {
		bodies[i], _ = json.Marshal(map[string]string{"id": string(a.ID), "title": a.Title, "text": strings.Join(a.Body, "\n\n"),
			"published": a.Published.Format(time.RFC3339), "source": "Reuters"})
	}
	paths := []string{"/v1/stories", "/", "/v1/stories?q=oil"}
	client := &http.Client{Timeout: time.Minute}
	read := func(path string) time.Duration {
		t0 := time.Now()
		resp, err := client.Get(srv.URL() + path)
		if err != nil {
			b.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			b.Fatalf("GET %s: %d", path, resp.StatusCode)
		}
		return time.Since(t0)
	}
	const reads = 100
	var next atomic.Int64
	for b.Loop() {
		idle := make(map[string][]time.Duration)
		for range reads {
			for _, p := range paths {
				idle[p] = append(idle[p], read(p))
			}
		}
		loaded := make(map[string][]time.Duration)
		stop := make(chan struct{})
		var wg sync.WaitGroup
		var posted, failed atomic.Int64
		for range writers {
			wg.Go(func() {
				for {
					select {
					case <-stop:
						return
					default:
					}
					i := next.Add(1) - 1
					if int(i) >= len(bodies) {
						return
					}
					resp, err := client.Post(srv.URL()+"/v1/articles", "application/json", bytes.NewReader(bodies[i]))
					if err != nil {
						failed.Add(1)
						continue
					}
					io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					if resp.StatusCode != http.StatusCreated {
						failed.Add(1)
					}
					posted.Add(1)
				}
			})
		}
		time.Sleep(200 * time.Millisecond) // let the writers fill the queue
		t0, p0 := time.Now(), posted.Load()
		for range reads {
			for _, p := range paths {
				loaded[p] = append(loaded[p], read(p))
			}
		}
		rate := float64(posted.Load()-p0) / time.Since(t0).Seconds()
		close(stop)
		wg.Wait()
		if failed.Load() > 0 {
			b.Errorf("%d posts failed", failed.Load())
		}
		b.Logf("%d writers posted %.0f articles/s during the loaded reads", writers, rate)
		b.ReportMetric(rate, "posts/s")
		for _, p := range paths {
			i, l := pct(idle[p]), pct(loaded[p])
			b.Logf("%-20s idle p50 %6.1f p99 %6.1f max %6.1f ms | 16 writers p50 %6.1f p99 %6.1f max %6.1f ms | p99 %.1f×, max %.1f× idle p99",
				p, i[0], i[1], i[2], l[0], l[1], l[2], l[1]/i[1], l[2]/i[1])
			name := strings.Trim(strings.NewReplacer("/", "_", "?", "_", "=", "_").Replace(p), "_")
			if name == "" {
				name = "page"
			}
			b.ReportMetric(i[1], name+"-idle-p99-ms")
			b.ReportMetric(l[1], name+"-load-p99-ms")
			b.ReportMetric(l[2], name+"-load-max-ms")
		}
	}
}

// pct returns the p50, p99 and max of ds in milliseconds.
func pct(ds []time.Duration) [3]float64 {
	s := slices.Clone(ds)
	slices.Sort(s)
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
	return [3]float64{ms(s[len(s)/2]), ms(s[len(s)*99/100]), ms(s[len(s)-1])}
}
