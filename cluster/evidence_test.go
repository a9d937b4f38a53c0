package cluster

import (
	"github.com/newsdedup/newsdedup"
	"math"
	"slices"
	"testing"
	"time"
)

// Featurize reads names (runs of capitalized words, not a lone word that
// begins a sentence), the lead's names, and numbers with what they count.
func TestFeaturizeFacts(t *testing.T) {
	f := Featurize(DefaultFeatureConfig, "Four men wounded in South Shore shooting - KSLA News 12", []string{
		"Four men were wounded in a shooting in South Shore on Thursday, police said. It happened in the 2500 block of East 75th Street.",
		"Police said a 17-year-old, Jamel Rollins, was arrested.",
		"Later, Mayor Rahm Emanuel spoke.",
	})
	for _, want := range []string{"south shore", "jamel rollins", "mayor rahm emanuel"} {
		if f.Entities[want] == 0 {
			t.Errorf("entity %q not found in %v", want, f.Entities)
		}
	}
	if f.Entities["police"] != 0 || f.Entities["four"] != 0 {
		t.Errorf("a sentence's first word taken for a name: %v", f.Entities)
	}
	if !slices.Contains(f.Lead, "jamel rollins") || slices.Contains(f.Lead, "mayor rahm emanuel") {
		t.Errorf("Lead = %v, want the names of the first %d paragraphs only", f.Lead, leadParagraphs)
	}
	for _, want := range []Fact{{"men", "4"}, {"block", "2500"}, {"year", "17"}, {"weekday", "thursday"}} {
		if !slices.Contains(f.Facts, want) {
			t.Errorf("fact %v not found in %v", want, f.Facts)
		}
	}
}

// A story whose members state other numbers of the same thing (5 men
// against 4) scores lower than one stating the same, and WhyEvent names
// the conflict with both values.
func TestStoriesFactConflict(t *testing.T) {
	body := func(n, day string) []string {
		return []string{n + " men were wounded in a shooting on Elm Avenue on " + day + " night, police said, and detectives asked witnesses to call the precinct with any information about the gunman who fled in a dark sedan. Neighbours described hearing several shots before ambulances arrived, and the victims were taken to the county hospital in stable condition."}
	}
	events := DefaultStoryConfig.WithEvents()
	c := NewStories(events)
	c.Add(Featurize(DefaultFeatureConfig, "", body("Four", "Monday")), time.Time{}, -1)
	b := c.Add(Featurize(DefaultFeatureConfig, "", body("Five", "Saturday")), time.Time{}, -1)
	plain := NewStories(DefaultStoryConfig)
	plain.Add(Featurize(DefaultFeatureConfig, "", body("Four", "Monday")), time.Time{}, -1)
	p := plain.Add(Featurize(DefaultFeatureConfig, "", body("Five", "Saturday")), time.Time{}, -1)
	if p.New {
		t.Fatalf("without event evidence the look-alike texts should join (the test needs them to): %+v", p)
	}
	// Two conflicts: the count of men and the weekday.
	want := p.Score * math.Exp(-2*events.Conflict)
	if math.Abs(b.Score-want) > 1e-6 {
		t.Errorf("score with two conflicts %.4f, want %.4f (%.4f without evidence)", b.Score, want, p.Score)
	}
	// Told to join, the conflicts are explained.
	c2 := NewStories(events)
	x := c2.Add(Featurize(DefaultFeatureConfig, "", body("Four", "Monday")), time.Time{}, -1)
	c2.Add(Featurize(DefaultFeatureConfig, "", body("Five", "Monday")), time.Time{}, x.Story)
	shared, conflicts := c2.WhyEvent(1, x.Story, 8)
	if !slices.ContainsFunc(shared, func(s newsdedup.SharedTerm) bool { return s.Term == "weekday=monday" }) {
		t.Errorf("shared %+v lacks weekday=monday", shared)
	}
	if len(conflicts) != 1 || conflicts[0].What != "men" || !slices.Equal(conflicts[0].Article, []string{"5"}) || !slices.Equal(conflicts[0].Story, []string{"4"}) {
		t.Errorf("conflicts = %+v, want men 5 vs 4", conflicts)
	}
}

// A snapshot keeps the event evidence: a restored clusterer explains and
// places as the original does.
func TestStoriesSnapshotEvidence(t *testing.T) {
	texts := []string{
		"Four men were wounded in a shooting on Elm Avenue on Monday night, police said, and detectives asked witnesses to call the precinct with anything they saw of the gunman, who fled in a dark sedan toward the river bridge.",
		"Police said four men were wounded on Elm Avenue on Monday; Detective Ana Ruiz asked witnesses to call the precinct with anything they saw of the gunman, who fled toward the river bridge in a dark car.",
		"Two women were hurt when a car hit a bus shelter on Oak Street on Friday, and the driver was taken to the county hospital after firefighters freed him from the wreck, which blocked traffic for three hours.",
	}
	cfg := DefaultStoryConfig.WithEvents()
	c := NewStories(cfg)
	for _, s := range texts {
		c.Add(Featurize(DefaultFeatureConfig, "", []string{s}), time.Time{}, -1)
	}
	raw, err := c.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	r := NewStories(cfg)
	if err := r.UnmarshalBinary(raw); err != nil {
		t.Fatal(err)
	}
	for i := range texts {
		s := c.StoryOf(i)
		e1, k1 := c.WhyEvent(i, s, 8)
		e2, k2 := r.WhyEvent(i, s, 8)
		if !slices.Equal(e1, e2) || len(k1) != len(k2) {
			t.Errorf("article %d: restored evidence %+v %+v, want %+v %+v", i, e2, k2, e1, k1)
		}
	}
	next := Featurize(DefaultFeatureConfig, "", []string{"Five men were wounded on Elm Avenue on Saturday, police said."})
	s1, sc1 := c.Peek(next, time.Time{})
	s2, sc2 := r.Peek(next, time.Time{})
	if s1 != s2 || sc1 != sc2 {
		t.Errorf("restored Peek = %d %.4f, want %d %.4f", s2, sc2, s1, sc1)
	}
}
