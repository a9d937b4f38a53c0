package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
)

// ExtractJSON is one page as the extract command prints it.
type ExtractJSON struct {
	Input     string   `json:"input"`
	Title     string   `json:"title"`
	Published *string  `json:"published"`
	Source    string   `json:"source"`
	URL       string   `json:"url"`
	Lang      string   `json:"lang"`
	Body      string   `json:"body"`
	Credits   []string `json:"credits,omitempty"`
}

func extractCommand(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := newFlags("extract")
	format := fs.String("format", "text", "output format: text, json (one array) or jsonl (one object a line)")
	if err := parseFlags(fs, args, stdout); err != nil {
		return err
	}
	if err := checkFormat("extract", *format, "text", "json", "jsonl"); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return usagef("extract", "no input: name files, directories, URLs or - for stdin")
	}
	batch, err := readInputs(ctx, fs.Args(), stdin, stderr)
	if err != nil {
		return err
	}
	recs := make([]ExtractJSON, 0, len(batch.Articles))
	for _, a := range batch.Articles {
		recs = append(recs, ExtractJSON{Input: a.Input, Title: a.Title, Published: timeJSON(a.Published), Source: a.Source,
			URL: a.URL, Lang: a.Lang, Body: a.Text(), Credits: a.Credits})
	}
	switch *format {
	case "json":
		err = json.NewEncoder(stdout).Encode(recs)
	case "jsonl":
		enc := json.NewEncoder(stdout)
		for _, r := range recs {
			if err = enc.Encode(r); err != nil {
				break
			}
		}
	default:
		for i, r := range recs {
			if i > 0 {
				fmt.Fprintln(stdout)
			}
			date := "undated"
			if r.Published != nil {
				date = *r.Published
			}
			fmt.Fprintf(stdout, "== %s\ntitle:  %s\ndate:   %s\nsource: %s\nurl:    %s\nlang:   %s\n\n%s\n", r.Input, r.Title, date, r.Source, r.URL, r.Lang, r.Body)
		}
	}
	if err != nil {
		return err
	}
	return batchError(batch)
}
