package eval

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/newsdedup/newsdedup"
	"github.com/newsdedup/newsdedup/ingest"
)

// Item is one labelled article.
type Item struct {
	Article *newsdedup.Article
	Story   []string // gold story labels; empty when unknown
	Family  []string // gold copy-family labels; empty when unknown
}

// Dataset is a set of labelled articles.
type Dataset struct {
	Name  string
	Split string
	Items []Item
	// References are published figures to read ours against, by metric
	// ("stories.pairwise.f1").
	References map[string]Reference
	// NoDates says DropDates removed the articles' dates.
	NoDates bool
}

// DropDates removes every article's publication and capture dates, as
// from undated input (dates the texts mention stay: they are text). It
// reports how many articles had one.
func (d *Dataset) DropDates() int {
	n := 0
	for _, it := range d.Items {
		a := it.Article
		if !a.Published.IsZero() || !a.Fetched.IsZero() {
			n++
		}
		a.Published, a.Fetched = time.Time{}, time.Time{}
	}
	d.NoDates = true
	return n
}

// Reference is a published figure.
type Reference struct {
	Value float64
	What  string
}

// ReadJSONL reads the generic format (see ingest.Record): articles with gold
// labels story and family (optional; a string, a number, or a list of
// them). Records with the same id and text are one article with the union
// of their labels; the same id with another text is an error naming both
// lines, as is a file without records or without any label. name names
// the input in errors.
func ReadJSONL(r io.Reader, name string) (*Dataset, error) {
	ds := &Dataset{Name: name, Split: "all"}
	byID := make(map[string]int)
	first := make(map[string]int)   // id -> its first line
	text := make(map[string]string) // id -> its text, paragraphs joined
	err := ingest.ReadJSONL(r, name, func(n int, rec *ingest.Record) error {
		story, err := labels(rec.Story)
		if err != nil {
			return fmt.Errorf("%s:%d: story: %w", name, n, err)
		}
		family, err := labels(rec.Family)
		if err != nil {
			return fmt.Errorf("%s:%d: family: %w", name, n, err)
		}
		if i, ok := byID[rec.ID]; ok && rec.ID != "" {
			it := &ds.Items[i]
			if strings.Join(ingest.Paragraphs(rec.Text), "\n") != text[rec.ID] {
				return fmt.Errorf("%s:%d: %w", name, n, newsdedup.Errorf(newsdedup.ECONFLICT, "id %q has another text on line %d: an id is one article", rec.ID, first[rec.ID]))
			}
			if again, err := rec.Article(fmt.Sprintf("%s:%d", name, n)); err != nil {
				return err
			} else if a := it.Article; rec.Title != "" && again.Title != a.Title || rec.Published != "" && !again.Published.Equal(a.Published) ||
				rec.URL != "" && again.URL != a.URL || rec.Source != "" && again.Source != a.Source {
				// A repeat may leave them out (a line adding a label).
				return fmt.Errorf("%s:%d: %w", name, n, newsdedup.Errorf(newsdedup.ECONFLICT, "id %q has another title, date, url or source on line %d: an id is one article", rec.ID, first[rec.ID]))
			}
			it.Story = union(it.Story, story)
			it.Family = union(it.Family, family)
			return nil
		}
		a, err := rec.Article(fmt.Sprintf("%s:%d", name, n))
		if err != nil {
			return err
		}
		if err := a.Check(); err != nil { // as run and ingest refuse it
			return fmt.Errorf("%s:%d: %w", name, n, err)
		}
		byID[rec.ID], first[rec.ID], text[rec.ID] = len(ds.Items), n, strings.Join(ingest.Paragraphs(rec.Text), "\n")
		ds.Items = append(ds.Items, Item{Article: a, Story: story, Family: family})
		return nil
	})
	if err != nil {
		return nil, err
	}
	labelled := false
	for _, it := range ds.Items {
		labelled = labelled || len(it.Story) > 0 || len(it.Family) > 0
	}
	switch {
	case len(ds.Items) == 0:
		return nil, fmt.Errorf("%s: %w", name, newsdedup.Errorf(newsdedup.EINVALID, "no records: nothing to evaluate"))
	case !labelled:
		return nil, fmt.Errorf("%s: %w", name, newsdedup.Errorf(newsdedup.EINVALID, "no record has a gold story or family label: nothing to score against"))
	}
	return ds, nil
}

func union(a, b []string) []string {
	for _, x := range b {
		if !slices.Contains(a, x) {
			a = append(a, x)
		}
	}
	return a
}

func labels(raw json.RawMessage) ([]string, error) {
	if len(raw) == 0 || string(raw) == "null" {
		return nil, nil
	}
	var one any
	if err := json.Unmarshal(raw, &one); err != nil {
		return nil, err
	}
	var out []string
	add := func(v any) error {
		switch x := v.(type) {
		case string:
			if x != "" { // an empty label is no label
				out = append(out, x)
			}
		case float64:
			out = append(out, strconv.FormatFloat(x, 'f', -1, 64))
		default:
			return fmt.Errorf("label %v is neither a string nor a number", v)
		}
		return nil
	}
	if list, ok := one.([]any); ok {
		for _, v := range list {
			if err := add(v); err != nil {
				return nil, err
			}
		}
		return out, nil
	}
	return out, add(one)
}

// SharedDir is where the evaluation data lives, relative to the repository.
var SharedDir = "../shared/eval"

// Load reads a named dataset from dir (SharedDir by default): ecbplus, gvc,
// wiki-versions, or the generated multilingual-zh and multilingual-de (see
// Multilingual). split is dev, test or all.
func Load(dir, name, split string) (*Dataset, error) {
	if dir == "" {
		dir = SharedDir
	}
	switch split {
	case "dev", "test", "all":
	default:
		return nil, newsdedup.Errorf(newsdedup.EINVALID, "split %q: want dev, test or all", split)
	}
	var ds *Dataset
	var err error
	switch name {
	case "ecbplus":
		ds, err = ecbPlus(filepath.Join(dir, "stories/ecbplus/ecbplus_docs.jsonl"), split)
	case "ecbplus-politics":
		ds, err = ecbPolitics(filepath.Join(dir, "stories/ecbplus/ecbplus_docs.jsonl"), split)
	case "gvc":
		ds, err = gvc(filepath.Join(dir, "stories/gvc/gvc_docs.dev.jsonl"), split)
	case "wiki-versions":
		ds, err = wikiVersions(filepath.Join(dir, "versions/wiki-versions/version_documents"), split)
	case "multilingual-zh", "multilingual-de":
		ds, err = multilingual(dir, strings.TrimPrefix(name, "multilingual-"), split)
	default:
		return nil, newsdedup.Errorf(newsdedup.EINVALID, "unknown dataset %q: want ecbplus, ecbplus-politics, gvc, wiki-versions, multilingual-zh or multilingual-de", name)
	}
	if err != nil {
		return nil, err
	}
	ds.Name, ds.Split = name, split
	return ds, nil
}

func readLines(path string, fn func(n int, line []byte) error) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64<<10), ingest.MaxLine)
	for n := 1; sc.Scan(); n++ {
		if err := fn(n, sc.Bytes()); err != nil {
			return fmt.Errorf("%s:%d: %w", path, n, err)
		}
	}
	return sc.Err()
}

// ecbDoc is one line of ecbplus_docs.jsonl.
type ecbDoc struct {
	DocID    string `json:"doc_id"`
	Topic    int    `json:"topic"`
	Subtopic string `json:"subtopic"`
	Text     string `json:"text"`
}

// readECB calls fn with every document of the ECB+ file at path.
func readECB(path string, fn func(n int, d ecbDoc) error) error {
	return readLines(path, func(n int, line []byte) error {
		var d ecbDoc
		if err := json.Unmarshal(line, &d); err != nil {
			return err
		}
		return fn(n, d)
	})
}

// ecbPlus reads ECB+: gold story = subtopic; test = topics 36–45.
func ecbPlus(path, split string) (*Dataset, error) {
	ds := &Dataset{References: map[string]Reference{
		"stories.pairwise.f1": {0.754, "TF-IDF single link, best threshold on the test topics"},
	}}
	err := readECB(path, func(n int, d ecbDoc) error {
		test := d.Topic >= 36 && d.Topic <= 45
		if split == "dev" && test || split == "test" && !test {
			return nil
		}
		rec := ingest.Record{ID: d.DocID, Text: d.Text}
		a, err := rec.Article(fmt.Sprintf("%s:%d", filepath.Base(path), n))
		if err != nil {
			return err
		}
		ds.Items = append(ds.Items, Item{Article: a, Story: []string{d.Subtopic}})
		return nil
	})
	return ds, err
}

// PoliticsTopics are the ECB+ topics whose two events are political:
// government decisions, elections and appointments and the deaths of a
// government's figures, reported at length by several outlets. Dev: 9 (two
// administrations' Endangered Species Act rulings), 11 (two Turkmen
// parliamentary elections), 28 (deaths of two Watergate figures), 34 (two
// surgeon general nominations). Test: 41 (two bombings of civilians by a
// government at war).
var PoliticsTopics = map[string][]int{"dev": {9, 11, 28, 34}, "test": {41}}

// urlLine matches a source-URL line of ECB+, tokenized ("http : / / www").
var urlLine = regexp.MustCompile(`^https?\s*:\s*/\s*/`)

// ecbPolitics reads the ECB+ politics set: the documents of PoliticsTopics
// as undated, untitled plain text (their source-URL lines removed and
// every paragraph, headline included, kept as body), the way long political
// articles without metadata arrive. Gold story = subtopic. It checks that
// stories of one political cast (the same administration, the same
// parliament) are not merged for the cast alone.
func ecbPolitics(path, split string) (*Dataset, error) {
	var topics []int
	if split == "all" {
		topics = append(slices.Clone(PoliticsTopics["dev"]), PoliticsTopics["test"]...)
	} else {
		topics = PoliticsTopics[split]
	}
	ds := &Dataset{}
	if split == "dev" {
		ds.References = map[string]Reference{
			"stories.pairwise.f1": {0.765, "TF-IDF single link, best threshold on the set (ours; see the README)"},
		}
	}
	err := readECB(path, func(n int, d ecbDoc) error {
		if !slices.Contains(topics, d.Topic) {
			return nil
		}
		var body []string
		for _, p := range ingest.Paragraphs(d.Text) {
			if !urlLine.MatchString(p) {
				body = append(body, p)
			}
		}
		if len(body) == 0 {
			return fmt.Errorf("document %s has no text", d.DocID)
		}
		a := &newsdedup.Article{ID: newsdedup.ArticleID(d.DocID), Input: fmt.Sprintf("%s:%d", filepath.Base(path), n), Body: body, Lang: "en"}
		ds.Items = append(ds.Items, Item{Article: a, Story: []string{d.Subtopic}})
		return nil
	})
	ds.NoDates = true
	return ds, err
}

// gvc reads the GVC dev part: gold story = incident; all of it is dev.
func gvc(path, split string) (*Dataset, error) {
	ds := &Dataset{References: map[string]Reference{
		"stories.pairwise.f1": {0.431, "TF-IDF single link, best threshold"},
	}}
	if split == "test" {
		return nil, newsdedup.Errorf(newsdedup.EINVALID, "gvc has no test split here: its folder holds the dev part only")
	}
	byID := make(map[string]int)
	err := readLines(path, func(n int, line []byte) error {
		var d struct {
			DocID    string `json:"doc_id"`
			Incident string `json:"incident_id"`
			Title    string `json:"title"`
			DCT      string `json:"dct"`
			URI      string `json:"uri"`
			Text     string `json:"text"`
		}
		if err := json.Unmarshal(line, &d); err != nil {
			return err
		}
		if i, ok := byID[d.DocID]; ok {
			ds.Items[i].Story = union(ds.Items[i].Story, []string{d.Incident})
			return nil
		}
		rec := ingest.Record{ID: d.DocID, Text: d.Text, Title: d.Title, Published: d.DCT, URL: d.URI}
		if strings.TrimSpace(rec.Text) == "" {
			rec.Text = d.Title
		}
		a, err := rec.Article(fmt.Sprintf("%s:%d", filepath.Base(path), n))
		if err != nil {
			return err
		}
		byID[d.DocID] = len(ds.Items)
		ds.Items = append(ds.Items, Item{Article: a, Story: []string{d.Incident}})
		return nil
	})
	return ds, err
}

// wikiVersions reads the revisions of each article folder: gold family = the
// folder. Every revision of one page shares the page's URL, as revisions of
// a news page do. dev holds the folders at even positions in name order,
// test the odd ones.
func wikiVersions(dir string, split string) (*Dataset, error) {
	ds := &Dataset{}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	k := 0
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		pos := k
		k++
		if split == "dev" && pos%2 == 1 || split == "test" && pos%2 == 0 {
			continue
		}
		files, err := filepath.Glob(filepath.Join(dir, e.Name(), "*.txt"))
		if err != nil {
			return nil, err
		}
		slices.SortFunc(files, func(a, b string) int { return revision(a) - revision(b) })
		for _, f := range files {
			data, err := os.ReadFile(f)
			if err != nil {
				return nil, err
			}
			rel := filepath.Join(e.Name(), filepath.Base(f))
			a := &newsdedup.Article{Input: rel, URL: "https://en.wikipedia.org/wiki/" + url.PathEscape(e.Name()), Body: ingest.Paragraphs(string(data))}
			if len(a.Body) == 0 {
				continue
			}
			a.ID = newsdedup.ArticleID(rel)
			ds.Items = append(ds.Items, Item{Article: a, Family: []string{e.Name()}})
		}
	}
	return ds, nil
}

func revision(path string) int {
	n, _ := strconv.Atoi(strings.TrimSuffix(filepath.Base(path), ".txt"))
	return n
}
