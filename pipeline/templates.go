package pipeline

import (
	"strings"
	"sync"
	"time"

	"github.com/newsdedup/newsdedup"
	"github.com/newsdedup/newsdedup/fingerprint"
	"github.com/newsdedup/newsdedup/textnorm"

	"github.com/zeebo/xxh3"
)

// A site's pages carry text that is the site's, not the article's: short
// template paragraphs (menus, share lines, sign-offs) around every article,
// and whole bodies (error and paywall pages) served for many URLs. The first
// are left out of the fingerprints, the second shape no family or story.

// TemplateWords is the longest paragraph SourceTemplates counts.
const TemplateWords = 40

// Templates holds, per source, the keys (ParagraphKey) of the short
// paragraphs that recur in many of its articles: the site's chrome (its
// menu, its share line, its newsletter prompt, its copyright), which would
// otherwise make every two pages of the site look alike.
type Templates map[string]map[uint64]bool

// ParagraphKey returns the hash of p folded (xxh3 of textnorm.Fold(p)), or
// 0 when p is empty or has more than TemplateWords words: a template
// candidate's key. t is scratch space.
func ParagraphKey(t *textnorm.Tokenizer, p string) uint64 {
	if strings.Count(p, " ") >= 2*TemplateWords { // surely too long: spare the tokenizing
		return 0
	}
	var h xxh3.Hasher
	n := 0
	t.Each(p, func(tok []byte) {
		if n++; n > 1 {
			h.Write(space)
		}
		h.Write(tok)
	})
	if n == 0 || n > TemplateWords {
		return 0
	}
	return h.Sum64() | 1
}

var space = []byte{' '}

// ParagraphKeys returns the ParagraphKey of every paragraph of every
// article with a source, computed by cfg.Workers goroutines.
func ParagraphKeys(cfg Config, arts []*newsdedup.Article) [][]uint64 {
	keys := make([][]uint64, len(arts))
	toks := sync.Pool{New: func() any { return new(textnorm.Tokenizer) }}
	parallel(cfg, len(arts), func(i int) {
		if arts[i].Source == "" {
			return
		}
		t := toks.Get().(*textnorm.Tokenizer)
		k := make([]uint64, len(arts[i].Body))
		for j, p := range arts[i].Body {
			k[j] = ParagraphKey(t, p)
		}
		keys[i] = k
		toks.Put(t)
	})
	return keys
}

// SourceTemplates returns the short paragraphs that recur in at least min
// articles of one source, given the articles' ParagraphKeys.
func SourceTemplates(arts []*newsdedup.Article, keys [][]uint64, min int) Templates {
	if min <= 0 {
		return nil
	}
	counts := make(map[string]map[uint64]int)
	seen := make(map[uint64]bool)
	for i, a := range arts {
		if a.Source == "" {
			continue
		}
		c := counts[a.Source]
		if c == nil {
			c = make(map[uint64]int)
			counts[a.Source] = c
		}
		clear(seen)
		for _, k := range keys[i] {
			if k != 0 && !seen[k] {
				seen[k] = true
				c[k]++
			}
		}
	}
	out := make(Templates)
	for src, c := range counts {
		for k, n := range c {
			if n >= min {
				if out[src] == nil {
					out[src] = make(map[uint64]bool)
				}
				out[src][k] = true
			}
		}
	}
	return out
}

// WithoutTemplates returns a's paragraphs less its source's template ones
// (all of them if that would leave nothing); keys are a's ParagraphKeys.
func WithoutTemplates(a *newsdedup.Article, keys []uint64, t Templates) []string {
	tt := t[a.Source]
	if len(tt) == 0 {
		return a.Body
	}
	kept := make([]string, 0, len(a.Body))
	for j, p := range a.Body {
		if !tt[keys[j]] {
			kept = append(kept, p)
		}
	}
	if len(kept) == 0 {
		return a.Body
	}
	return kept
}

// TemplateFreeBodies returns the bodies of arts less their sources'
// templates (TemplateMin), as they are fingerprinted.
func TemplateFreeBodies(cfg Config, arts []*newsdedup.Article) [][]string {
	bodies := make([][]string, len(arts))
	if cfg.TemplateMin <= 0 {
		for i, a := range arts {
			bodies[i] = a.Body
		}
		return bodies
	}
	keys := ParagraphKeys(cfg, arts)
	t := SourceTemplates(arts, keys, cfg.TemplateMin)
	for i, a := range arts {
		bodies[i] = WithoutTemplates(a, keys[i], t)
	}
	return bodies
}

// Boilerplate returns the articles whose body is a site's template rather
// than news: the same body (exact hash) under three or more different
// titles, or published further apart than the story window. Error pages,
// captcha notices and paywall stubs served for many URLs look like this;
// real copies of one article share its title or come out within days.
func Boilerplate(cfg Config, arts []*newsdedup.Article, prints []fingerprint.Print) map[newsdedup.ArticleID]bool {
	groups := make(map[uint64][]int)
	for i := range arts {
		if prints[i].Tokens > 0 {
			groups[prints[i].Exact] = append(groups[prints[i].Exact], i)
		}
	}
	out := make(map[newsdedup.ArticleID]bool)
	for _, g := range groups {
		if len(g) < 2 {
			continue
		}
		titles := make(map[string]bool)
		var first, last time.Time
		for _, i := range g {
			titles[textnorm.Fold(arts[i].Title)] = true
			if t := arts[i].Published; !t.IsZero() {
				if first.IsZero() || t.Before(first) {
					first = t
				}
				if t.After(last) {
					last = t
				}
			}
		}
		if len(titles) >= 3 || !first.IsZero() && last.Sub(first) > cfg.Story.Window {
			for _, i := range g {
				out[arts[i].ID] = true
			}
		}
	}
	return out
}
