// Package eval scores newsdedup against labelled data: clustering metrics
// (pairwise, B-cubed, adjusted Rand index) and readers for the evaluation
// sets in ../shared/eval.
package eval

import (
	"time"

	"github.com/newsdedup/newsdedup"
	"github.com/newsdedup/newsdedup/pipeline"
)

// Report is the outcome of an evaluation. Stories and Families are set for
// the gold labels the dataset has.
type Report struct {
	Dataset  string   `json:"dataset"`
	Split    string   `json:"split"`
	NoDates  bool     `json:"no_dates,omitempty"` // the input's dates were dropped (--no-dates)
	Stories  *Metrics `json:"stories,omitempty"`
	Families *Metrics `json:"families,omitempty"`
	// MixedFamilies counts predicted families holding articles of two or
	// more gold families.
	MixedFamilies int                  `json:"mixed_families"`
	Seconds       float64              `json:"seconds"`
	References    map[string]Reference `json:"-"`
}

// Evaluate runs the pipeline on the dataset's articles and scores every gold
// label present.
func Evaluate(cfg pipeline.Config, ds *Dataset) *Report {
	start := time.Now()
	arts := make([]*newsdedup.Article, len(ds.Items))
	for i, it := range ds.Items {
		arts[i] = it.Article
	}
	cfg.Evidence = false // scores need no paragraph evidence
	res := pipeline.Run(cfg, arts)
	rep := &Report{Dataset: ds.Name, Split: ds.Split, NoDates: ds.NoDates, References: ds.References}
	story := make(map[newsdedup.ArticleID]int)
	for i, s := range res.Stories {
		for _, m := range s.Members {
			story[m] = i
		}
	}
	family := make(map[newsdedup.ArticleID]int)
	for i, f := range res.Families {
		for _, m := range f.Members {
			family[m] = i
		}
	}
	score := func(pred map[newsdedup.ArticleID]int, gold func(Item) []string) *Metrics {
		var p []int
		var g [][]string
		for _, it := range ds.Items {
			if l := gold(it); len(l) > 0 {
				p = append(p, pred[it.Article.ID])
				g = append(g, l)
			}
		}
		if len(p) == 0 {
			return nil
		}
		m := Score(p, g)
		return &m
	}
	rep.Stories = score(story, func(it Item) []string { return it.Story })
	rep.Families = score(family, func(it Item) []string { return it.Family })
	if rep.Families != nil {
		labels := make(map[int]map[string]bool)
		for _, it := range ds.Items {
			f := family[it.Article.ID]
			if labels[f] == nil {
				labels[f] = make(map[string]bool)
			}
			for _, l := range it.Family {
				labels[f][l] = true
			}
		}
		for _, ls := range labels {
			if len(ls) > 1 {
				rep.MixedFamilies++
			}
		}
	}
	rep.Seconds = time.Since(start).Seconds()
	return rep
}
