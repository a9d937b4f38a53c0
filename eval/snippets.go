package eval

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/markusmobius/go-trafilatura"

	"github.com/newsdedup/newsdedup/extract"
)

// TrafilaturaDevReference is trafilatura 2.2.0's published F on the whole
// benchmark (990 pages, of which the shared folder holds half).
const TrafilaturaDevReference = 0.924

// SnippetCounts are the pooled counts of the trafilatura benchmark's
// snippet metric.
type SnippetCounts struct {
	TP, FN, FP, TN int
}

// PRF returns precision, recall and F of the counts.
func (c SnippetCounts) PRF() PRF {
	var p, r float64
	if c.TP+c.FP > 0 {
		p = float64(c.TP) / float64(c.TP+c.FP)
	}
	if c.TP+c.FN > 0 {
		r = float64(c.TP) / float64(c.TP+c.FN)
	}
	return prf(p, r)
}

// SnippetPage is a page of the trafilatura benchmark with the snippets its
// main text must hold and must not hold.
type SnippetPage struct {
	URL, File     string
	HTML          []byte
	With, Without []string
}

// TrafilaturaDevPages reads dir/evaldata.json and the pages it names.
func TrafilaturaDevPages(dir string) ([]SnippetPage, error) {
	raw, err := os.ReadFile(filepath.Join(dir, "evaldata.json"))
	if err != nil {
		return nil, err
	}
	var ed map[string]struct {
		File    string   `json:"file"`
		With    []string `json:"with"`
		Without []string `json:"without"`
	}
	if err := json.Unmarshal(raw, &ed); err != nil {
		return nil, fmt.Errorf("evaldata.json: %w", err)
	}
	var pages []SnippetPage
	for u, e := range ed {
		f, err := os.Open(filepath.Join(dir, "html", e.File+".gz"))
		if err != nil {
			return nil, err
		}
		zr, err := gzip.NewReader(f)
		if err != nil {
			f.Close()
			return nil, fmt.Errorf("%s: %w", e.File, err)
		}
		data, err := io.ReadAll(zr)
		f.Close()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", e.File, err)
		}
		pages = append(pages, SnippetPage{URL: u, File: e.File, HTML: data, With: e.With, Without: e.Without})
	}
	slices.SortFunc(pages, func(a, b SnippetPage) int { return strings.Compare(a.File, b.File) })
	return pages, nil
}

// ScoreSnippets adds to c the snippets of p found in body (whitespace
// collapsed): a "with" snippet found is a TP, missed a FN; a "without"
// snippet found is a FP, absent a TN.
func ScoreSnippets(c *SnippetCounts, p SnippetPage, body string) {
	body = strings.Join(strings.Fields(body), " ")
	for _, s := range p.With {
		if strings.Contains(body, strings.Join(strings.Fields(s), " ")) {
			c.TP++
		} else {
			c.FN++
		}
	}
	for _, s := range p.Without {
		if strings.Contains(body, strings.Join(strings.Fields(s), " ")) {
			c.FP++
		} else {
			c.TN++
		}
	}
}

// SnippetReport is newsdedup's and go-trafilatura's score on the snippet
// benchmark.
type SnippetReport struct {
	Pages        int            `json:"pages"`
	Extraction   PRF            `json:"extraction"`
	Peers        map[string]PRF `json:"peers"`
	Errors       int            `json:"errors"` // pages where we found no article
	Seconds      float64        `json:"seconds"`
	Langs        map[string]int `json:"langs"` // pages by the language we found
	LangCoverage float64        `json:"lang_coverage"`
}

// EvaluateSnippets scores extract.HTML on the trafilatura benchmark pages
// of dir, and beside it go-trafilatura with the options extract.HTML gives
// it (fallbacks on, comments excluded) but none of our rules.
func EvaluateSnippets(dir string) (*SnippetReport, error) {
	pages, err := TrafilaturaDevPages(dir)
	if err != nil {
		return nil, err
	}
	rep := &SnippetReport{Pages: len(pages), Peers: make(map[string]PRF), Langs: make(map[string]int)}
	var ours, peer SnippetCounts
	start := time.Now()
	known := 0
	for _, p := range pages {
		body := ""
		if a, err := extract.HTML(p.File, p.HTML, p.URL); err != nil {
			rep.Errors++
		} else {
			body = a.Text()
			rep.Langs[a.Lang]++
			if a.Lang != "" {
				known++
			}
		}
		ScoreSnippets(&ours, p, body)
	}
	rep.Seconds = time.Since(start).Seconds()
	for _, p := range pages {
		ScoreSnippets(&peer, p, goTrafilatura(p))
	}
	rep.Extraction = ours.PRF()
	rep.Peers["go_trafilatura"] = peer.PRF()
	if len(pages) > 0 {
		rep.LangCoverage = float64(known) / float64(len(pages))
	}
	return rep, nil
}

// goTrafilatura returns go-trafilatura's main text of p, or "", read
// through the library's own entry point (its parser detects the encoding).
func goTrafilatura(p SnippetPage) string {
	opts := trafilatura.Options{EnableFallback: true, ExcludeComments: true}
	if u, err := url.Parse(p.URL); err == nil {
		opts.OriginalURL = u
	}
	res, err := trafilatura.Extract(bytes.NewReader(p.HTML), opts)
	if err != nil {
		return ""
	}
	return res.ContentText
}
