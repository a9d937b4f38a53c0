package bench

import (
	"encoding/binary"
	"io"
	"os"
	"runtime"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"time"

	minhashlsh "github.com/ekzhu/minhash-lsh"

	"github.com/newsdedup/newsdedup"
	"github.com/newsdedup/newsdedup/align"
	"github.com/newsdedup/newsdedup/cluster"
	"github.com/newsdedup/newsdedup/eval"
	"github.com/newsdedup/newsdedup/fingerprint"
	"github.com/newsdedup/newsdedup/pipeline"
)

// Result is one system's figures.
type Result struct {
	ArticlesPerSec float64 `json:"articles_per_sec"`
	MBPerSec       float64 `json:"mb_per_sec"`
	PeakRSSMB      float64 `json:"peak_rss_mb"`
	P50Ms          float64 `json:"p50_ms"`
	P99Ms          float64 `json:"p99_ms"`
	Precision      float64 `json:"precision"`
	Recall         float64 `json:"recall"`
}

// Report is the outcome of a benchmark run.
type Report struct {
	Articles int     `json:"articles"`
	Ours     Result  `json:"ours"`
	Peer     Result  `json:"peer"`
	Speedup  float64 `json:"speedup"`
}

// PeerThreshold is the Jaccard threshold the peer is tuned for, and the
// exact-Jaccard check its candidates pass.
const PeerThreshold = 0.5

// PeerHashes is the peer's signature length (its README's example).
const PeerHashes = 256

// Options says how to run a benchmark. The zero value generates with seed
// 0, measures no latency and runs newsdedup alone.
type Options struct {
	// Probes articles (fresh copies) are placed one at a time in each full
	// index to measure the latency of placing one article.
	Probes int
	// Seed seeds the generator.
	Seed uint64
	// Peer also runs the peer.
	Peer bool
	// HeapProfile, if set, receives a heap profile taken while newsdedup's
	// full index is live (after its latency probes).
	HeapProfile io.Writer
}

// Run generates n articles from seeds and measures newsdedup (and the peer
// if o.Peer) on them.
func Run(seeds []*newsdedup.Article, n int, o Options) *Report {
	probes, seed, peer := o.Probes, o.Seed, o.Peer
	items := Generate(seeds, n+probes, seed)
	arts := make([]*newsdedup.Article, 0, n)
	gold := make([][]string, 0, n)
	var bytes int64
	for _, it := range items[:min(n, len(items))] {
		arts = append(arts, it.Article)
		gold = append(gold, []string{strconv.Itoa(it.Family)})
		for _, p := range it.Article.Body {
			bytes += int64(len(p))
		}
	}
	var probeArts []*newsdedup.Article
	for _, it := range items[len(arts):] {
		probeArts = append(probeArts, it.Article)
	}
	rep := &Report{Articles: len(arts)}
	rep.Ours = runOurs(arts, probeArts, gold, bytes, o.HeapProfile)
	if peer {
		rep.Peer = runPeer(arts, probeArts, gold, bytes)
	}
	if rep.Peer.ArticlesPerSec > 0 {
		rep.Speedup = rep.Ours.ArticlesPerSec / rep.Peer.ArticlesPerSec
	}
	return rep
}

func resetPeak() {
	runtime.GC()
	os.WriteFile("/proc/self/clear_refs", []byte("5"), 0)
}

// peakRSSMB returns the process's peak resident set since resetPeak, in MB.
func peakRSSMB() float64 {
	raw, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(raw), "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == "VmHWM:" {
			kb, _ := strconv.ParseFloat(f[1], 64)
			return kb / 1024
		}
	}
	return 0
}

func score(r *Result, pred []int, gold [][]string) {
	m := eval.Score(pred, gold)
	r.Precision, r.Recall = m.Pairwise.Precision, m.Pairwise.Recall
}

func percentiles(r *Result, lat []time.Duration) {
	if len(lat) == 0 {
		return
	}
	slices.Sort(lat)
	r.P50Ms = float64(lat[len(lat)/2]) / 1e6
	r.P99Ms = float64(lat[len(lat)*99/100]) / 1e6
}

func runOurs(arts, probes []*newsdedup.Article, gold [][]string, bytes int64, heap io.Writer) Result {
	cfg := pipeline.DefaultConfig()
	cfg.Evidence = false // copy pairs only, as the peer gives
	resetPeak()
	start := time.Now()
	res := pipeline.Copies(cfg, arts)
	elapsed := time.Since(start)
	r := Result{ArticlesPerSec: float64(len(arts)) / elapsed.Seconds(), MBPerSec: float64(bytes) / 1e6 / elapsed.Seconds()}
	famOf := make(map[newsdedup.ArticleID]int)
	for i, f := range res.Families {
		for _, m := range f.Members {
			famOf[m] = i
		}
	}
	pred := make([]int, len(arts))
	for i, a := range arts {
		pred[i] = famOf[a.ID]
	}
	score(&r, pred, gold)
	// Placing one article in the full index: fingerprint, candidates, verify.
	index := res.Index
	m := fingerprint.NewMaker(cfg.Params)
	var lat []time.Duration
	for _, p := range probes {
		t0 := time.Now()
		pr := m.Make(p.Body)
		seen := make(map[int32]bool)
		index.Query(pr.Sig, func(id int32) { seen[id] = true })
		for id := range seen {
			align.Compare(res.Prints[id].Shingles, pr.Shingles)
		}
		lat = append(lat, time.Since(t0))
	}
	percentiles(&r, lat)
	r.PeakRSSMB = peakRSSMB()
	if heap != nil {
		runtime.GC()
		pprof.WriteHeapProfile(heap)
	}
	runtime.KeepAlive(res)
	return r
}

func peerSig(shingles []uint64) []uint64 {
	mh := minhashlsh.NewMinhash(1, PeerHashes)
	var b [8]byte
	for _, s := range shingles {
		binary.BigEndian.PutUint64(b[:], s)
		mh.Push(b[:])
	}
	return mh.Signature()
}

func runPeer(arts, probes []*newsdedup.Article, gold [][]string, bytes int64) Result {
	cfg := pipeline.DefaultConfig()
	resetPeak()
	start := time.Now()
	// The same shingles as ours, one signature per article with the
	// peer's own MinHash, its LSH at threshold 0.5, candidates verified by
	// the same exact Jaccard, families by union-find.
	// The same shingles as ours: site templates left out the same way.
	prints := pipeline.FingerprintBodies(cfg, pipeline.TemplateFreeBodies(cfg, arts))
	index := minhashlsh.NewMinhashLSH64(PeerHashes, PeerThreshold)
	sigs := make([][]uint64, len(arts))
	for i, pr := range prints {
		sigs[i] = peerSig(pr.Shingles)
		index.Add(i, sigs[i])
	}
	index.Index()
	fs := cluster.NewFamilySet(cluster.FamilyConfig{Support: 0})
	for range arts {
		fs.Add()
	}
	var edges []cluster.Edge
	for i := range arts {
		for _, c := range index.Query(sigs[i]) {
			j := c.(int)
			if j <= i {
				continue
			}
			if s := align.Compare(prints[i].Shingles, prints[j].Shingles); s.Jaccard >= PeerThreshold {
				edges = append(edges, cluster.Edge{A: i, B: j, Score: s.Jaccard})
			}
		}
	}
	fs.Relate(edges)
	elapsed := time.Since(start)
	r := Result{ArticlesPerSec: float64(len(arts)) / elapsed.Seconds(), MBPerSec: float64(bytes) / 1e6 / elapsed.Seconds()}
	pred := make([]int, len(arts))
	for i := range arts {
		pred[i] = fs.Root(i)
	}
	score(&r, pred, gold)
	m := fingerprint.NewMaker(cfg.Params)
	var lat []time.Duration
	for _, p := range probes {
		t0 := time.Now()
		pr := m.Make(p.Body)
		for _, c := range index.Query(peerSig(pr.Shingles)) {
			align.Compare(prints[c.(int)].Shingles, pr.Shingles)
		}
		lat = append(lat, time.Since(t0))
	}
	percentiles(&r, lat)
	r.PeakRSSMB = peakRSSMB()
	return r
}
