package cluster

import (
	"math"
	"strings"
	"unicode/utf8"

	"github.com/newsdedup/newsdedup/textnorm"
)

// Features are the weighted terms that describe one article for story
// matching: sublinear term frequencies of title and body content words, with
// entity-like words (capitalized inside a sentence: names, places,
// organizations) and title words weighted up.
type Features struct {
	Terms   map[string]float64 // term -> boosted sublinear tf (before IDF)
	Content int                // content words (not stop words) in the text
	Dates   []Mention          // calendar dates written in title and body
	// Entities are the names (runs of capitalized words) the text holds,
	// with their occurrences, and Lead those of them in the title and the
	// first paragraphs; Facts are its numbers with what they count. See
	// Fact.
	Entities map[string]int
	Lead     []string
	Facts    []Fact
}

// FeatureConfig sets the boosts of Featurize.
type FeatureConfig struct {
	EntityBoost float64 // weight factor of entity-like words
	TitleBoost  float64 // occurrences a title word adds to its count
	MaxTerms    int     // the highest-weighted terms kept per article
}

// DefaultFeatureConfig is the configuration newsdedup uses, chosen with
// DefaultStoryConfig on the dev data (ECB+ topics 1–35 and GVC).
var DefaultFeatureConfig = FeatureConfig{EntityBoost: 2, TitleBoost: 2, MaxTerms: 150}

// Featurize returns the features of an article with title and body paragraphs.
func Featurize(cfg FeatureConfig, title string, body []string) Features {
	tf := make(map[string]float64)
	caps := make(map[string]int)
	var tok textnorm.Tokenizer
	content := 0
	ents := newEntityScanner()
	var toks []string
	add := func(text string, weight float64, isTitle bool) {
		sentenceStart := true
		// In a title set in title case, capitals tell no names.
		titleCase := false
		if isTitle {
			n, all := 0, 0
			for field := range strings.FieldsSeq(text) {
				all++
				if isCapital(field) {
					n++
				}
			}
			titleCase = 2*n > all
		}
		for field := range strings.FieldsSeq(text) {
			capital := isCapital(field)
			toks = toks[:0]
			tok.Each(field, func(t []byte) {
				s := string(t)
				toks = append(toks, s)
				if len(t) < 2 && !isNumber(t) || textnorm.IsStopword(s) {
					return
				}
				tf[s] += weight
				if !isTitle {
					content++
					if capital && !sentenceStart {
						caps[s]++
					}
				}
			})
			last, _ := utf8.DecodeLastRuneInString(strings.TrimRightFunc(field, isClosing))
			end := last == '.' || last == '!' || last == '?' || last == ':'
			ents.field(capital && !titleCase, sentenceStart, toks, end || last == ',' || last == ';' || last == ')')
			sentenceStart = end
		}
		ents.flush()
		ents.number = ""
	}
	ents.lead = true
	add(headline(title), cfg.TitleBoost, true)
	for i, p := range body {
		ents.lead = i < leadParagraphs
		add(p, 1, false)
	}
	f := Features{Terms: make(map[string]float64, len(tf)), Content: content, Entities: ents.counts, Facts: ents.facts}
	for _, e := range ents.order {
		if ents.leads[e] {
			f.Lead = append(f.Lead, e)
		}
	}
	f.Dates = Mentions(append([]string{title}, body...))
	for t, n := range tf {
		w := 1 + math.Log(n)
		if caps[t] > 0 && float64(caps[t]) >= 0.5*n/2 {
			w *= cfg.EntityBoost
		}
		f.Terms[t] = w
	}
	if cfg.MaxTerms > 0 && len(f.Terms) > cfg.MaxTerms {
		f.Terms = topTerms(f.Terms, cfg.MaxTerms)
	}
	return f
}

// isClosing reports whether r closes a quote or a bracket (what is looked
// past for a word's last letter).
func isClosing(r rune) bool {
	switch r {
	case '"', '\'', '”', '’', ')', ']', '»':
		return true
	}
	return false
}

func isNumber(t []byte) bool {
	for _, c := range t {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// topTerms returns the n highest-weighted entries of m (ties by term): the
// first n in that order, found by selection, not by sorting them all.
func topTerms(m map[string]float64, n int) map[string]float64 {
	type term struct {
		t string
		w float64
	}
	ts := make([]term, 0, len(m))
	for t, w := range m {
		ts = append(ts, term{t, w})
	}
	before := func(a, b term) bool { return a.w > b.w || a.w == b.w && a.t < b.t }
	// Quickselect: ts[:n] ends holding the first n, in some order. The
	// order is total (terms differ), so the set is that of a sort.
	lo, hi := 0, len(ts)
	for hi-lo > 1 {
		p := ts[lo+(hi-lo)/2]
		i, j := lo, hi-1
		for i <= j {
			for before(ts[i], p) {
				i++
			}
			for before(p, ts[j]) {
				j--
			}
			if i <= j {
				ts[i], ts[j] = ts[j], ts[i]
				i++
				j--
			}
		}
		switch {
		case n <= j:
			hi = j + 1
		case n >= i:
			lo = i
		default:
			lo = hi
		}
	}
	out := make(map[string]float64, n)
	for _, x := range ts[:n] {
		out[x.t] = x.w
	}
	return out
}

// headline returns a page title without the site's name that web pages
// append to it after a separator ("Four hurt in shooting - KSLA News 12",
// "… :: WRAL.com", "… | Reuters"): the words every page of a site shares
// would tie its reports of different events together. The part kept must
// be the longer, of three words or more; a title without a separator is
// kept whole.
func headline(title string) string {
	for _, sep := range [...]string{" | ", " :: ", " - ", " – ", " — "} {
		i := strings.LastIndex(title, sep)
		if i < 0 {
			continue
		}
		head, tail := title[:i], title[i+len(sep):]
		if n := len(strings.Fields(head)); n >= 3 && n >= len(strings.Fields(tail)) {
			return head
		}
	}
	return title
}
