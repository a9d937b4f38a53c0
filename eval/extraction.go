package eval

import (
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/newsdedup/newsdedup/extract"
)

// ExtractionScore scores predicted article bodies against gold ones with
// the Scrapinghub article-extraction benchmark's own metric: tokens are
// \w+ matches (case kept); per page, the multisets of 4-token shingles (one
// shingle of all tokens when there are fewer) give TP, FP and FN; per-page
// precision and recall are averaged over the pages where they are defined
// (precision where TP+FP > 0, recall where TP+FN > 0, with 1 when a page
// has neither FP nor FN); F1 is computed from the two averages. A page
// missing from pred counts as an empty prediction.
func ExtractionScore(gold, pred map[string]string) PRF {
	var ps, rs []float64
	keys := make([]string, 0, len(gold))
	for k := range gold {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		tp, fp, fn := shingleMatch(gold[k], pred[k])
		switch {
		case fp == 0 && fn == 0:
			ps, rs = append(ps, 1), append(rs, 1)
			continue
		}
		if tp+fp > 0 {
			ps = append(ps, tp/(tp+fp))
		}
		if tp+fn > 0 {
			rs = append(rs, tp/(tp+fn))
		}
	}
	return prf(mean(ps), mean(rs))
}

func mean(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	var s float64
	for _, x := range xs {
		s += x
	}
	return s / float64(len(xs))
}

var wordRe = regexp.MustCompile(`[\p{L}\p{N}_]+`)

func shingleMatch(gold, pred string) (tp, fp, fn float64) {
	g, p := shingleCounts(gold), shingleCounts(pred)
	for k, gc := range g {
		pc := p[k]
		tp += float64(min(gc, pc))
		fn += float64(max(0, gc-pc))
	}
	for k, pc := range p {
		fp += float64(max(0, pc-g[k]))
	}
	return tp, fp, fn
}

func shingleCounts(s string) map[string]int {
	toks := wordRe.FindAllString(s, -1)
	out := make(map[string]int)
	if len(toks) == 0 {
		return out
	}
	n := max(1, len(toks)-3)
	for i := range n {
		out[strings.Join(toks[i:min(len(toks), i+4)], "\x00")]++
	}
	return out
}

// ExtractionReport is the outcome of an extraction evaluation: our figure
// and every peer's, scored with the same code.
type ExtractionReport struct {
	Pages      int            `json:"pages"`
	Extraction PRF            `json:"extraction"`
	Peers      map[string]PRF `json:"peers"`
	Errors     int            `json:"errors"` // pages where we found no article
	Seconds    float64        `json:"seconds"`
}

// ScrapinghubReferences are the benchmark README's published F1 figures.
var ScrapinghubReferences = map[string]float64{
	"rs_trafilatura": 0.970, "go_trafilatura": 0.960, "trafilatura": 0.958, "newspaper": 0.949,
	"readability_js": 0.947, "go_readability": 0.934, "go_domdistiller": 0.927, "justext": 0.804, "html-text": 0.665,
}

// Page is one page of an extraction benchmark.
type Page struct {
	ID   string
	URL  string
	HTML []byte
	Gold string
}

// ScrapinghubPages reads the benchmark's pages and gold bodies from dir.
func ScrapinghubPages(dir string) ([]Page, error) {
	var gt map[string]struct {
		ArticleBody string `json:"articleBody"`
		URL         string `json:"url"`
	}
	raw, err := os.ReadFile(filepath.Join(dir, "ground-truth.json"))
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal(raw, &gt); err != nil {
		return nil, fmt.Errorf("ground-truth.json: %w", err)
	}
	var pages []Page
	for id, g := range gt {
		f, err := os.Open(filepath.Join(dir, "html", id+".html.gz"))
		if err != nil {
			return nil, err
		}
		zr, err := gzip.NewReader(f)
		if err != nil {
			f.Close()
			return nil, fmt.Errorf("%s: %w", id, err)
		}
		data, err := io.ReadAll(zr)
		f.Close()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", id, err)
		}
		pages = append(pages, Page{ID: id, URL: g.URL, HTML: data, Gold: g.ArticleBody})
	}
	slices.SortFunc(pages, func(a, b Page) int { return strings.Compare(a.ID, b.ID) })
	return pages, nil
}

// ReadPeer reads a peer's outputs: {id: {"articleBody": ...}}, possibly
// wrapped as {"version": ..., "output": {...}}.
func ReadPeer(path string) (map[string]string, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	type body struct {
		ArticleBody string `json:"articleBody"`
	}
	var wrapped struct {
		Output map[string]body `json:"output"`
	}
	var plain map[string]body
	out := make(map[string]string)
	if err := json.Unmarshal(raw, &wrapped); err == nil && wrapped.Output != nil {
		plain = wrapped.Output
	} else if err := json.Unmarshal(raw, &plain); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	for k, v := range plain {
		out[k] = v.ArticleBody
	}
	return out, nil
}

// EvaluateExtraction extracts every page with extract.HTML and scores it,
// and scores every peer output in dir/peers beside it.
func EvaluateExtraction(dir string) (*ExtractionReport, error) {
	pages, err := ScrapinghubPages(dir)
	if err != nil {
		return nil, err
	}
	gold := make(map[string]string, len(pages))
	pred := make(map[string]string, len(pages))
	rep := &ExtractionReport{Pages: len(pages), Peers: make(map[string]PRF)}
	start := time.Now()
	for _, p := range pages {
		gold[p.ID] = p.Gold
		a, err := extract.HTML(p.ID, p.HTML, p.URL)
		if err != nil {
			rep.Errors++
			continue
		}
		pred[p.ID] = strings.Join(a.Body, "\n\n")
	}
	rep.Seconds = time.Since(start).Seconds()
	rep.Extraction = ExtractionScore(gold, pred)
	peers, _ := filepath.Glob(filepath.Join(dir, "peers", "*.json"))
	for _, path := range peers {
		out, err := ReadPeer(path)
		if err != nil {
			return nil, err
		}
		rep.Peers[strings.TrimSuffix(filepath.Base(path), ".json")] = ExtractionScore(gold, out)
	}
	return rep, nil
}
