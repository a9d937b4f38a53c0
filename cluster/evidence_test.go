package cluster

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/newsdedup/newsdedup"
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

// The lead's people (a name with an age: "John Smith, 23,") and streets
// (a name ending in a street word, direction left out, abbreviation
// spelled out) are facts.
func TestFeaturizePeopleAndStreets(t *testing.T) {
	for _, tc := range []struct {
		lead string
		want []Fact
		not  []Fact
	}{
		{"Police said Qadarus Javon Grimes, 16, of Woodland Avenue was charged.", []Fact{{"person", "qadarus javon grimes"}, {"street", "woodland avenue"}}, nil},
		{"It happened in the 2500 block of West Fifth St. on Sunday.", []Fact{{"street", "fifth street"}, {"block", "2500"}}, nil},
		{"Mayor Rahm Emanuel, who spoke, said 23 people were hurt.", nil, []Fact{{"person", "mayor rahm emanuel"}}},
		{"In Chicago, 23 people were hurt.", nil, []Fact{{"person", "chicago"}}},
	} {
		f := Featurize(DefaultFeatureConfig, "", []string{tc.lead})
		for _, w := range tc.want {
			if !slices.Contains(f.Facts, w) {
				t.Errorf("%q: fact %v not in %v", tc.lead, w, f.Facts)
			}
		}
		for _, w := range tc.not {
			if slices.Contains(f.Facts, w) {
				t.Errorf("%q: fact %v in %v", tc.lead, w, f.Facts)
			}
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
	none := DefaultStoryConfig
	none.Agree, none.Conflict = 0, 0
	plain := NewStories(none)
	plain.Add(Featurize(DefaultFeatureConfig, "", body("Four", "Monday")), time.Time{}, -1)
	p := plain.Add(Featurize(DefaultFeatureConfig, "", body("Five", "Saturday")), time.Time{}, -1)
	if p.New {
		t.Fatalf("without event evidence the look-alike texts should join (the test needs them to): %+v", p)
	}
	// Two conflicts, the count of men and the weekday, and one agreement,
	// the street.
	want := p.Score * math.Exp(events.Agree-2*events.Conflict)
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

// By default event evidence weighs in full where the time window cannot
// tell events apart (the article or the story undated) and at Timed where
// both are dated; WithEvents weighs it in full everywhere.
func TestStoriesEvidenceWhereUndated(t *testing.T) {
	body := func(n, day string) []string {
		return []string{n + " men were wounded in a shooting on Elm Avenue on " + day + " night, police said, and detectives asked witnesses to call the precinct with any information about the gunman who fled in a dark sedan. Neighbours described hearing several shots before ambulances arrived, and the victims were taken to the county hospital in stable condition."}
	}
	t0 := time.Date(2024, 5, 6, 12, 0, 0, 0, time.UTC)
	score := func(cfg StoryConfig, a, b time.Time) float64 {
		c := NewStories(cfg)
		c.Add(Featurize(DefaultFeatureConfig, "", body("Four", "Monday")), a, -1)
		return c.Add(Featurize(DefaultFeatureConfig, "", body("Five", "Saturday")), b, -1).Score
	}
	none := DefaultStoryConfig
	none.Agree, none.Conflict = 0, 0
	def, all := DefaultStoryConfig, DefaultStoryConfig.WithEvents()
	// Two conflicts (the count of men, the weekday) and one agreement
	// (the street); dated a day apart, also the same days (TimeAgree
	// agreements).
	undated := math.Exp(def.Agree - 2*def.Conflict)
	dated := def.Agree*(1+def.TimeAgree) - 2*def.Conflict
	for _, tc := range []struct {
		name string
		cfg  StoryConfig
		a, b time.Time
		want float64
	}{
		{"default undated", def, time.Time{}, time.Time{}, undated},
		{"default, story undated", def, time.Time{}, t0, undated},
		{"default dated", def, t0, t0.Add(24 * time.Hour), math.Exp(def.Timed * dated)},
		{"events dated", all, t0, t0.Add(24 * time.Hour), math.Exp(dated)},
		{"events undated", all, time.Time{}, time.Time{}, undated},
	} {
		p := score(none, tc.a, tc.b)
		if got := score(tc.cfg, tc.a, tc.b) / p; math.Abs(got-tc.want) > 1e-6 {
			t.Errorf("%s: factor %.4f, want %.4f", tc.name, got, tc.want)
		}
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
	r := restore(t, c)
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

// A clusterer restored from its snapshot places what comes next as the
// original does, copies included: a copy joins without entering the term
// index, and must stay out of it once restored.
func TestStoriesSnapshotCopies(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	z := rand.NewZipf(rand.New(rand.NewPCG(7, 8)), 1.1, 1, 3000)
	feats := make([]Features, 3000)
	for i := range feats {
		feats[i] = Features{Terms: map[string]float64{}, Content: 100}
		for range 60 {
			feats[i].Terms[fmt.Sprint("w", z.Uint64())]++
		}
	}
	day := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	type step struct {
		f    Features
		t    time.Time
		join int // index of the earlier article it copies, or -1
	}
	steps := make([]step, 6000)
	for i := range steps {
		steps[i] = step{feats[r.IntN(len(feats))], day.Add(time.Duration(r.IntN(3600*24*10)) * time.Second), -1}
		if i > 10 && r.IntN(2) == 0 {
			steps[i].join = r.IntN(i)
		}
	}
	add := func(c *Stories, from, to int, stories []int) []int {
		for i := from; i < to; i++ {
			s := steps[i]
			join := -1
			if s.join >= 0 {
				join = c.StoryOf(s.join)
			}
			pl := c.Add(s.f, s.t, join)
			stories = append(stories, pl.Story)
		}
		return stories
	}
	c := NewStories(DefaultStoryConfig)
	add(c, 0, 3000, nil)
	restored := restore(t, c)
	want, got := add(c, 3000, len(steps), nil), add(restored, 3000, len(steps), nil)
	if !slices.Equal(got, want) {
		n := 0
		for i := range got {
			if got[i] != want[i] {
				n++
			}
		}
		t.Fatalf("restored, %d of %d later articles are placed otherwise", n, len(got))
	}
}

// restore returns a clusterer restored from c's snapshot, with c's config.
func restore(t *testing.T, c *Stories) *Stories {
	t.Helper()
	raw, err := c.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	r := NewStories(c.cfg)
	if err := r.UnmarshalBinary(raw); err != nil {
		t.Fatal(err)
	}
	return r
}
