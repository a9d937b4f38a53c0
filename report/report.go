// Package report holds the JSON shapes newsdedup answers with, the same for
// the command line (run, query, stories) and the HTTP API, so that a tool
// reading one reads the other. Scores are rounded to 4 decimals and times
// are RFC 3339 (null when unknown) in every output.
package report

import (
	"math"
	"time"

	"github.com/newsdedup/newsdedup"
)

// Relation is a relation between articles A and B (A the earlier).
type Relation struct {
	A           string              `json:"a"`
	B           string              `json:"b"`
	Kind        newsdedup.Kind      `json:"kind"`               // exact, near_duplicate, version, reprint, partial_reuse, same_story
	Jaccard     float64             `json:"jaccard"`            // 5-word-shingle Jaccard of the bodies
	Containment float64             `json:"containment"`        // share of the shorter body's shingles in the longer
	Score       float64             `json:"score"`              // strength in [0,1]; for same_story the story similarity
	Evidence    *newsdedup.Evidence `json:"evidence,omitempty"` // paragraph alignment, when computed
}

// Family is a copy family: its original first, then by publication.
type Family struct {
	ID       string   `json:"id"`       // "f-" and the original's ID
	Original string   `json:"original"` // the article judged to be the original
	Members  []string `json:"members"`  // original first
}

// Story is a set of articles about one event.
type Story struct {
	ID       string     `json:"id"`      // "s-" and its first member's ID
	Title    string     `json:"title"`   // the first title seen
	Members  []string   `json:"members"` // in order of arrival
	First    *time.Time `json:"first"`   // earliest publication, null if none is dated
	Last     *time.Time `json:"last"`    // latest publication
	Families []Family   `json:"families,omitempty"`
}

// Placement is where an article landed (or, for query, would land).
type Placement struct {
	ID        string     `json:"id"`
	Input     string     `json:"input,omitempty"` // the input it was read from (CLI)
	Stored    bool       `json:"stored"`          // it was in the store already
	Relations []Relation `json:"relations"`
	Family    Family     `json:"family"`
	Story     *Story     `json:"story"` // null when it would found a new story
}

// Article is an article of a run's report.
type Article struct {
	ID        string     `json:"id"`
	Input     string     `json:"input"`
	URL       string     `json:"url,omitempty"`
	Title     string     `json:"title"`
	Source    string     `json:"source"`
	Lang      string     `json:"lang"` // ISO 639-1 code; empty when unknown
	Published *time.Time `json:"published"`
	Body      string     `json:"body"`  // paragraphs joined by blank lines
	Words     int        `json:"words"` // word tokens in the body
	Credits   []string   `json:"credits,omitempty"`
}

// Round rounds a score to 4 decimals, as every output shows it.
func Round(x float64) float64 { return math.Round(x*10000) / 10000 }

// Time returns t, or nil when it is zero.
func Time(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

// NewRelation returns r's JSON shape.
func NewRelation(r newsdedup.Relation) Relation {
	return Relation{A: string(r.A), B: string(r.B), Kind: r.Kind, Jaccard: Round(r.Jaccard),
		Containment: Round(r.Containment), Score: Round(r.Score), Evidence: r.Evidence}
}

// NewRelations returns the JSON shapes of rs, never nil.
func NewRelations(rs []newsdedup.Relation) []Relation {
	out := make([]Relation, 0, len(rs))
	for _, r := range rs {
		out = append(out, NewRelation(r))
	}
	return out
}

// NewFamily returns f's JSON shape.
func NewFamily(f newsdedup.Family) Family {
	return Family{ID: f.ID, Original: string(f.Original), Members: newsdedup.IDStrings(f.Members)}
}

// NewStory returns s's JSON shape.
func NewStory(s newsdedup.Story) Story {
	return Story{ID: s.ID, Title: s.Title, Members: newsdedup.IDStrings(s.Members), First: Time(s.First), Last: Time(s.Last)}
}

// NewPlacement returns the JSON shape of an article's placement: its
// relations, family and story (none when s has no ID).
func NewPlacement(id newsdedup.ArticleID, input string, stored bool, rels []newsdedup.Relation, f newsdedup.Family, s newsdedup.Story) Placement {
	p := Placement{ID: string(id), Input: input, Stored: stored, Relations: NewRelations(rels), Family: NewFamily(f)}
	if s.ID != "" {
		st := NewStory(s)
		p.Story = &st
	}
	return p
}
