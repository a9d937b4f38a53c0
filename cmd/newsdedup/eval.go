package main

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/newsdedup/newsdedup/eval"
	"github.com/newsdedup/newsdedup/pipeline"
)

func evalCommand(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("eval")
	format := fs.String("format", "text", "output format: text or json")
	dataset := fs.String("dataset", "", "a shared evaluation set: ecbplus, ecbplus-politics, gvc, wiki-versions, scrapinghub, trafilatura-dev, or a generated one: multilingual-zh, multilingual-de")
	write := fs.String("write", "", "with a generated --dataset: write its labelled records to `FILE.jsonl` (- for stdout) instead of evaluating")
	split := fs.String("split", "", "split of --dataset: dev, test or all (default: test where there is one, else all)")
	shared := fs.String("shared", eval.SharedDir, "folder of the shared evaluation data")
	noDates := fs.Bool("no-dates", false, "drop every article's publication and capture date before clustering, as for undated input")
	events := fs.Bool("events", false, eventsUsage)
	if err := parseFlags(fs, args, stdout); err != nil {
		return err
	}
	if err := checkFormat("eval", *format, "text", "json"); err != nil {
		return err
	}
	switch {
	case *dataset == "" && fs.NArg() == 0:
		return usagef("eval", "name a FILE.jsonl or a --dataset")
	case *dataset != "" && fs.NArg() > 0:
		return usagef("eval", "name a FILE.jsonl or a --dataset, not both")
	case fs.NArg() > 1:
		return usagef("eval", "one FILE.jsonl at a time, got %d", fs.NArg())
	}
	if *dataset != "" {
		if _, err := os.Stat(*shared); err != nil {
			return fmt.Errorf("shared evaluation data not found at %s: give its folder with --shared DIR", *shared)
		}
	}
	if *write != "" {
		lang, ok := strings.CutPrefix(*dataset, "multilingual-")
		if !ok {
			return usagef("eval", "--write needs a generated --dataset (multilingual-zh or multilingual-de)")
		}
		return writeGenerated(*shared, lang, *write, stdout)
	}
	if *dataset == "trafilatura-dev" {
		rep, err := eval.EvaluateSnippets(filepath.Join(*shared, "extraction/trafilatura-dev"))
		if err != nil {
			return err
		}
		if *format == "json" {
			return json.NewEncoder(stdout).Encode(rep)
		}
		return writeSnippetText(stdout, rep)
	}
	if *dataset == "scrapinghub" {
		rep, err := eval.EvaluateExtraction(filepath.Join(*shared, "extraction/scrapinghub"))
		if err != nil {
			return err
		}
		if *format == "json" {
			return json.NewEncoder(stdout).Encode(rep)
		}
		return writeExtractionText(stdout, rep)
	}
	var ds *eval.Dataset
	var err error
	if *dataset != "" {
		sp := *split
		if sp == "" {
			sp = "test"
			if *dataset == "gvc" || strings.HasPrefix(*dataset, "multilingual-") {
				sp = "all"
			}
		}
		ds, err = eval.Load(*shared, *dataset, sp)
	} else {
		name := fs.Arg(0)
		var f *os.File
		if name == "-" {
			f = os.Stdin
		} else if f, err = os.Open(name); err != nil {
			return err
		} else {
			defer f.Close()
		}
		ds, err = eval.ReadJSONL(f, name)
	}
	if err != nil {
		return err
	}
	if *noDates {
		ds.DropDates()
	}
	cfg := pipeline.DefaultConfig()
	if *events {
		cfg.Story = cfg.Story.WithEvents()
	}
	rep := eval.Evaluate(cfg, ds)
	if *format == "json" {
		return json.NewEncoder(stdout).Encode(rep)
	}
	return writeEvalText(stdout, rep)
}

func writeEvalText(w io.Writer, rep *eval.Report) error {
	undated := ""
	if rep.NoDates {
		undated = ", dates dropped"
	}
	fmt.Fprintf(w, "%s (%s split%s): %.1f s\n\n", rep.Dataset, rep.Split, undated, rep.Seconds)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "gold\tmetric\tprecision\trecall\tF1\treference F1\t")
	row := func(gold string, m *eval.Metrics) {
		if m == nil {
			return
		}
		ref := "-"
		if r, ok := rep.References[gold+".pairwise.f1"]; ok {
			ref = fmt.Sprintf("%.3f", r.Value)
		}
		fmt.Fprintf(tw, "%s\tpairwise\t%.3f\t%.3f\t%.3f\t%s\t\n", gold, m.Pairwise.Precision, m.Pairwise.Recall, m.Pairwise.F1, ref)
		fmt.Fprintf(tw, "%s\tB-cubed\t%.3f\t%.3f\t%.3f\t-\t\n", gold, m.BCubed.Precision, m.BCubed.Recall, m.BCubed.F1)
		fmt.Fprintf(tw, "%s\tARI\t\t\t%.3f\t-\t\n", gold, m.ARI)
	}
	row("stories", rep.Stories)
	row("families", rep.Families)
	if err := tw.Flush(); err != nil {
		return err
	}
	for _, m := range []struct {
		name string
		m    *eval.Metrics
	}{{"stories", rep.Stories}, {"families", rep.Families}} {
		if m.m != nil {
			fmt.Fprintf(w, "\n%s: %d articles in %d clusters; gold has %d", m.name, m.m.Articles, m.m.Clusters, m.m.GoldClusters)
		}
	}
	if rep.Families != nil {
		fmt.Fprintf(w, "; %d families mix gold families", rep.MixedFamilies)
	}
	fmt.Fprintln(w)
	var refs []string
	for k, r := range rep.References {
		refs = append(refs, fmt.Sprintf("reference %s: %s", k, r.What))
	}
	if len(refs) > 0 {
		fmt.Fprintf(w, "%s\n", strings.Join(refs, "\n"))
	}
	return nil
}

func writeExtractionText(w io.Writer, rep *eval.ExtractionReport) error {
	fmt.Fprintf(w, "scrapinghub article extraction: %d pages, ours in %.1f s (%d pages without an article)\n\n", rep.Pages, rep.Seconds, rep.Errors)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "extractor\tprecision\trecall\tF1\tpublished F1\t")
	fmt.Fprintf(tw, "newsdedup\t%.3f\t%.3f\t%.3f\t-\t\n", rep.Extraction.Precision, rep.Extraction.Recall, rep.Extraction.F1)
	names := make([]string, 0, len(rep.Peers))
	for n := range rep.Peers {
		names = append(names, n)
	}
	slices.SortFunc(names, func(a, b string) int { return cmp.Compare(rep.Peers[b].F1, rep.Peers[a].F1) })
	for _, n := range names {
		m := rep.Peers[n]
		ref := "-"
		if r, ok := eval.ScrapinghubReferences[n]; ok {
			ref = fmt.Sprintf("%.3f", r)
		}
		fmt.Fprintf(tw, "%s\t%.3f\t%.3f\t%.3f\t%s\t\n", n, m.Precision, m.Recall, m.F1, ref)
	}
	return tw.Flush()
}

// writeGenerated writes the records of the generated multilingual set in
// lang as JSON lines to the file name, or to stdout if name is "-".
func writeGenerated(shared, lang, name string, stdout io.Writer) error {
	recs, err := eval.Multilingual(shared, lang, eval.MultilingualSeed)
	if err != nil {
		return err
	}
	w := stdout
	var f *os.File
	if name != "-" {
		if f, err = os.Create(name); err != nil {
			return err
		}
		w = f
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	for i := range recs {
		if err := enc.Encode(&recs[i]); err != nil {
			if f != nil {
				f.Close()
			}
			return err
		}
	}
	if f != nil {
		return f.Close()
	}
	return nil
}

func writeSnippetText(w io.Writer, rep *eval.SnippetReport) error {
	fmt.Fprintf(w, "trafilatura benchmark (shared half): %d pages, ours in %.1f s (%d pages without an article); language found for %.0f%%\n\n",
		rep.Pages, rep.Seconds, rep.Errors, 100*rep.LangCoverage)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "extractor\tprecision\trecall\tF\tpublished F (990 pages)\t")
	fmt.Fprintf(tw, "newsdedup\t%.3f\t%.3f\t%.3f\t-\t\n", rep.Extraction.Precision, rep.Extraction.Recall, rep.Extraction.F1)
	for n, m := range rep.Peers {
		fmt.Fprintf(tw, "%s\t%.3f\t%.3f\t%.3f\t-\t\n", n, m.Precision, m.Recall, m.F1)
	}
	fmt.Fprintf(tw, "trafilatura 2.2.0\t\t\t\t%.3f\t\n", eval.TrafilaturaDevReference)
	return tw.Flush()
}
