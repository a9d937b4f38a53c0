package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"runtime/pprof"
	"text/tabwriter"

	"github.com/newsdedup/newsdedup/bench"
	"github.com/newsdedup/newsdedup/eval"
)

func benchCommand(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("bench")
	n := fs.Int("articles", 20000, "articles to generate")
	corpus := fs.String("corpus", "../shared/eval/throughput/reuters21578", "folder of Reuters-21578 .sgm seed texts")
	format := fs.String("format", "text", "output format: text or json")
	probes := fs.Int("probes", 500, "articles placed one at a time in the full index, for latency")
	seed := fs.Uint64("seed", 1, "generator seed")
	peer := fs.Bool("peer", true, "also run the peer (false: newsdedup alone, e.g. to profile it)")
	cpuprofile := fs.String("cpuprofile", "", "write a CPU profile of the run to this file")
	fs.Var(new(memoryLimit), "memory-limit", memoryLimitUsage)
	memprofile := fs.String("memprofile", "", "write a heap profile, taken while newsdedup's full index is live, to this file")
	if err := parseFlags(fs, args, stdout); err != nil {
		return err
	}
	if err := checkFormat("bench", *format, "text", "json"); err != nil {
		return err
	}
	if *n < 1 {
		return usagef("bench", "--articles %d: want at least 1", *n)
	}
	if fs.NArg() > 0 {
		return usagef("bench", "takes no arguments, got %q", fs.Args())
	}
	seeds, err := eval.Reuters(*corpus)
	if err != nil {
		return fmt.Errorf("%w (give the Reuters-21578 folder with --corpus DIR)", err)
	}
	if *cpuprofile != "" {
		f, err := os.Create(*cpuprofile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	o := bench.Options{Probes: *probes, Seed: *seed, Peer: *peer}
	if *memprofile != "" {
		f, err := os.Create(*memprofile)
		if err != nil {
			return err
		}
		defer f.Close()
		o.HeapProfile = f
	}
	rep := bench.Run(seeds, *n, o)
	if *format == "json" {
		return json.NewEncoder(stdout).Encode(rep)
	}
	fmt.Fprintf(stdout, "%d generated articles (seed %d), same process, same shingles\n\n", rep.Articles, *seed)
	tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "system\tarticles/s\tMB/s\tpeak RSS MB\tp50 ms\tp99 ms\tprecision\trecall\t")
	for _, r := range []struct {
		name string
		r    bench.Result
	}{{"newsdedup", rep.Ours}, {"ekzhu/minhash-lsh", rep.Peer}} {
		fmt.Fprintf(tw, "%s\t%.0f\t%.2f\t%.0f\t%.3f\t%.3f\t%.4f\t%.4f\t\n", r.name, r.r.ArticlesPerSec, r.r.MBPerSec, r.r.PeakRSSMB, r.r.P50Ms, r.r.P99Ms, r.r.Precision, r.r.Recall)
	}
	tw.Flush()
	fmt.Fprintf(stdout, "\nspeedup %.1f× in articles/s\n", rep.Speedup)
	return nil
}
